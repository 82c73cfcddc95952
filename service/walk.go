package service

import "github.com/pishran/pishran/domain"

// The keys of the lists the service reads whole with domain.Walk: what a
// full page's last item gives the read of the next page (the order each
// list is kept in by the store).

func agencyKey(a *domain.Agency) string     { return a.Code }
func lawKey(l *domain.Law) string           { return l.Slug }
func projectKey(p *domain.Project) string   { return p.Slug }
func programKey(r domain.ProgramRow) string { return r.Slug }
func actionKey(a *domain.Action) string     { return itoa64(a.ID) }
func reportKey(r *domain.Report) string     { return itoa64(r.ID) }
