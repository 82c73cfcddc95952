package exchange

import (
	"time"

	"github.com/pishran/pishran/domain"
)

// The registry's side of the exchange: which agency each exchange identity
// is, what each service is called, and which integrations a project
// declares. The store keeps them, the service checks who may change them,
// and Evaluate judges the declared integrations.

// Mapping ties an exchange identity (a subsystem, or a member acting
// without one) to an agency of the registry. Records naming an identity
// with no mapping are still imported and counted; the mapping makes them
// count for the agency.
type Mapping struct {
	Subsystem Subsystem   `json:"identity"`
	Agency    string      `json:"agency"` // the agency's code in the registry
	Name      domain.Text `json:"name"`   // what the agency calls the system, optional
	domain.Meta
}

// Validate checks a mapping's own fields.
func (m *Mapping) Validate() error {
	if err := m.Subsystem.Validate("identity."); err != nil {
		return err
	}
	if m.Agency == "" {
		return domain.Invalid("agency", "دستگاه لازم است", "the agency is required")
	}
	if err := domain.CheckLine("agency", m.Agency, 100); err != nil {
		return err
	}
	return domain.ValidTitle("name", m.Name, false)
}

// ServiceInfo names one service of a provider subsystem.
type ServiceInfo struct {
	Service Service     `json:"service"`
	Title   domain.Text `json:"title"`
	domain.Meta
}

// Validate checks a service's own fields.
func (s *ServiceInfo) Validate() error {
	if err := s.Service.Validate("service."); err != nil {
		return err
	}
	return domain.ValidTitle("title", s.Title, true)
}

// Declared is an integration a project declares: "agency A's subsystem
// consumes service S of agency B", optionally the evidence of one of its
// milestones, judged under its own thresholds where it sets them (the zero
// values of Policy mean the council's defaults).
type Declared struct {
	ID          int64       `json:"id"`
	Project     string      `json:"project"`
	Integration Integration `json:"integration"`
	Milestone   *int64      `json:"milestone,omitempty"`
	Policy      Policy      `json:"policy"`
	Note        domain.Text `json:"note"`
	domain.Meta
}

// Validate checks a declaration's own fields.
func (d *Declared) Validate() error {
	if err := d.Integration.Validate(); err != nil {
		return err
	}
	if err := d.Policy.Validate(); err != nil {
		return err
	}
	if d.Milestone != nil && *d.Milestone <= 0 {
		return domain.Invalid("milestone", "شناسه مرحله نامعتبر است", "the milestone id is invalid")
	}
	return domain.ValidTitle("note", d.Note, false)
}

// Judged is a declared integration with the exchange's evidence about it.
type Judged struct {
	Declared
	Status Status `json:"status"`
	// Agencies are the agencies mapped to the two ends ("" when unmapped).
	ClientAgency   string `json:"client_agency,omitempty"`
	ProviderAgency string `json:"provider_agency,omitempty"`
}

// Evidenced reports whether the exchange shows successful traffic of the
// integration on or before t: the evidence a milestone marked done needs.
func (j *Judged) Evidenced(t time.Time) bool {
	return j.Status.FirstSuccess != nil && !j.Status.FirstSuccess.After(t)
}
