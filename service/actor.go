// Package service is Pishran's application layer: every act a person or a
// program can take on the registry, with who may take it, run inside one
// database transaction. The HTTP API and the CLI both call it; neither talks
// to the store directly, so a rule holds the same whichever door is used.
package service

import (
	"context"
	"errors"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Role is what a credential lets its holder do.
type Role string

const (
	RoleAdmin       Role = "admin"       // everything, including credentials
	RoleSecretariat Role = "secretariat" // the council's secretariat: lists, designation, all records
	RoleAgency      Role = "agency"      // an agency's focal point: its own agency's records only
	RoleReader      Role = "reader"      // reads what staff may read, writes nothing
	RoleCouncil     Role = "council"     // a council member: reads as staff; no registry writes (like reader) until the lead decides otherwise
	RoleExchange    Role = "exchange"    // the exchange operator's push: imports telemetry, nothing else
	RoleAnonymous   Role = ""            // the public
)

// Roles lists the roles a token can carry.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleCouncil, RoleAgency, RoleReader, RoleExchange}

// ValidRole reports whether r is a role a token can carry.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Actor is who is acting: a token's holder, the CLI's operator, or the public.
type Actor struct {
	Name   string
	Role   Role
	Agency string // for RoleAgency: the agency's code
}

// Anonymous is the public.
var Anonymous = Actor{Name: "anonymous"}

// System is the operator at the console (CLI import, reference load).
var System = Actor{Name: "system", Role: RoleAdmin}

// Viewer says which confidential records the actor may read.
func (a Actor) Viewer() domain.Viewer {
	switch a.Role {
	case RoleAdmin, RoleSecretariat:
		return domain.Viewer{All: true, Staff: true}
	case RoleAgency:
		return domain.Viewer{Agency: a.Agency, Staff: true}
	case RoleReader, RoleCouncil: // council members read as staff; no confidential project beyond that
		return domain.Viewer{Staff: true}
	}
	return domain.Viewer{}
}

// isSecretariat reports whether the actor runs the registry.
func (a Actor) isSecretariat() bool { return a.Role == RoleAdmin || a.Role == RoleSecretariat }

func (a Actor) mustWrite() error {
	switch a.Role {
	case RoleAnonymous:
		return domain.Unauthorized()
	case RoleReader:
		return domain.Forbidden("نقش خواننده اجازه نوشتن ندارد", "the reader role cannot write")
	case RoleCouncil:
		return domain.Forbidden("نقش عضو شورا در سامانه ثبت نمی‌نویسد", "the council member role does not write in the registry")
	case RoleExchange:
		return domain.Forbidden("نقش مرکز تبادل فقط داده تبادل را درون‌ریزی می‌کند", "the exchange role only imports exchange telemetry")
	}
	return nil
}

func (a Actor) mustBeSecretariat() error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if !a.isSecretariat() {
		return domain.Forbidden("این کار با دبیرخانه شورا است", "only the council's secretariat may do this")
	}
	return nil
}

// mustOwnProject allows the secretariat, and an agency that leads p.
func (a Actor) mustOwnProject(p *domain.Project) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if a.isSecretariat() || (a.Role == RoleAgency && p.Lead() == a.Agency) {
		return nil
	}
	return domain.Forbidden("فقط دستگاه راهبر پروژه یا دبیرخانه می‌تواند آن را ویرایش کند",
		"only the project's lead agency or the secretariat may edit it")
}

// update runs fn in a write transaction whose audit entries name the actor
// (and, when the HTTP layer put them in ctx, the address and credential the
// write came through).
func (s *Service) update(ctx context.Context, a Actor, fn func(*store.Tx) error) error {
	o := domain.OriginOf(ctx)
	o.Actor = a.Name
	return s.db.Update(domain.WithOrigin(ctx, o), func(tx *store.Tx) error {
		// Every reference the write makes to a project passes the
		// visibility rule as it applies to the writer (visibility.go).
		guard(tx, a)
		if err := fn(tx); err != nil {
			return err
		}
		// Every write the service makes leaves an audit entry: a write
		// path that forgets is refused here (and so fails its tests),
		// rather than changing the record unseen.
		if !tx.Audited() {
			return errUnaudited
		}
		return nil
	})
}

var errUnaudited = errors.New("service: a write without an audit entry was refused")
