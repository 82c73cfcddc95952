package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// AuditHistory returns every audit entry of one record: who changed it,
// when, from where, and from what to what. It is for those who run the
// registry; the public sees records, not their edit history.
func (s *Service) AuditHistory(ctx context.Context, a Actor, kind, key string) (out []*store.AuditEntry, err error) {
	if a.Role != RoleAdmin && a.Role != RoleSecretariat {
		if a.Role == RoleAnonymous {
			return nil, domain.Unauthorized()
		}
		return nil, domain.Forbidden("تاریخچه ویرایش‌ها برای دبیرخانه و مدیر است", "the edit history is for the secretariat and admins")
	}
	if kind == "" {
		return nil, domain.Invalid("kind", "نوع رکورد لازم است", "the record kind is required")
	}
	if key == "" {
		return nil, domain.Invalid("record", "شناسه رکورد لازم است", "the record key is required")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.History(kind, key); return err })
	if out == nil {
		out = []*store.AuditEntry{}
	}
	return out, err
}

// AuditReport is the outcome of checking the audit chain.
type AuditReport struct {
	Checked int64             `json:"checked"`
	Intact  bool              `json:"intact"`
	Broken  *store.ChainBreak `json:"broken,omitempty"`
}

// VerifyAudit walks the hash chain of the whole audit log and names the
// first entry that does not hold.
func (s *Service) VerifyAudit(ctx context.Context, a Actor) (r AuditReport, err error) {
	if a.Role != RoleAdmin {
		if a.Role == RoleAnonymous {
			return r, domain.Unauthorized()
		}
		return r, domain.Forbidden("بررسی زنجیره ممیزی با مدیر است", "only an admin may verify the audit chain")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r.Checked, r.Broken, err = tx.VerifyAudit()
		return err
	})
	r.Intact = err == nil && r.Broken == nil
	return r, err
}
