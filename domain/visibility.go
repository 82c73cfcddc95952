package domain

import "slices"

// Viewer says which confidential records a reader may see. The zero Viewer
// is the public: it sees no confidential project.
type Viewer struct {
	All    bool   // admin and secretariat see everything
	Agency string // an agency sees the confidential projects it is on
	Staff  bool   // any signed-in user sees restricted programs
}

// CanSee reports whether the viewer may see a project: SeesProject, for a
// project read whole.
func (v Viewer) CanSee(p *Project) bool {
	e := ProjectEntry{Slug: p.Slug, Confidentiality: p.Confidentiality}
	for _, a := range p.Agencies {
		e.Agencies = append(e.Agencies, a.Agency)
	}
	return v.SeesProject(&e)
}

// ProjectEntry is what the follow-up views need of a project.
type ProjectEntry struct {
	Slug            string
	Title           Text
	Confidentiality Confidentiality
	Status          Lifecycle
	Agencies        []string // confidential projects only: the agencies on it
}

// SeesFollowUp reports whether the viewer may see follow-up records about
// the project: the Go twin of the store's followSQL.
func (v Viewer) SeesFollowUp(e *ProjectEntry) bool {
	switch {
	case v.All:
		return true
	case !v.Staff && v.Agency == "":
		return e.Confidentiality == Public
	}
	return e.Confidentiality != Confidential || (v.Agency != "" && slices.Contains(e.Agencies, v.Agency))
}

// SeesProject reports whether the viewer may see the project itself (its
// page, its name in a link): the Go twin of the store's visibleSQL.
// Restricted projects are public; their follow-up is not (SeesFollowUp).
func (v Viewer) SeesProject(e *ProjectEntry) bool {
	return v.All || e.Confidentiality != Confidential || (v.Agency != "" && slices.Contains(e.Agencies, v.Agency))
}
