package comparison

import (
	"slices"

	"github.com/pishran/pishran/domain"
)

// Fate computes a list's breakdown from its members' groups (see
// domain.Fate). Every member falls in exactly one part, in this order of
// precedence:
//
//   - confidential: the project is confidential, or it left because it
//     cannot be reported to the public — counted, never named;
//   - evolved: it left for a successor that records it as a predecessor
//     (or for the reason "evolved" or "merged");
//   - removed: it left for any other recorded reason, one part per reason;
//   - on a closed list, a member with no leave recorded is kept when a
//     list of a later term holds it, and of unknown fate otherwise;
//   - on a list not closed, it is active: on the list today.
//
// The places of the declared size that no member fills are "never named".
// Nothing is guessed: a member is only kept when a later list records it.
func Fate(g *domain.Program, members []domain.FateMember) domain.Fate {
	f := domain.Fate{Program: g.Slug, Status: g.Status, Declared: g.DeclaredSize, Parts: []domain.FatePart{}}
	closed := g.Status == domain.ProgramClosed
	type key struct {
		k domain.FateKey
		r domain.LeaveReason
	}
	count := map[key]*domain.FatePart{}
	atClose := 0
	for _, m := range members {
		if m.N <= 0 {
			continue
		}
		f.Named += m.N
		if m.Main {
			f.Main += m.N
		}
		if m.Active {
			atClose += m.N
		}
		k := key{}
		switch {
		case m.Confidential || m.Reason == domain.LeaveConfidential:
			k.k = domain.FateConfidential
		case !m.Active && (m.Descends || m.Reason == domain.LeaveEvolved || m.Reason == domain.LeaveMerged):
			k.k = domain.FateEvolved
		case !m.Active:
			k.k, k.r = domain.FateRemoved, m.Reason
			if k.r == "" {
				k.r = domain.LeaveOther
			}
		case closed && m.Later:
			k.k = domain.FateKept
		case closed:
			k.k = domain.FateUnknown
		default:
			k.k = domain.FateActive
		}
		p, ok := count[k]
		if !ok {
			p = &domain.FatePart{Key: k.k, Reason: k.r, Text: fateText(k.k, k.r)}
			count[k] = p
		}
		p.N += m.N
		if m.Main {
			p.Main += m.N
		}
	}
	if closed {
		f.ActiveAtClose = &atClose
	}
	for _, p := range count {
		f.Parts = append(f.Parts, *p)
	}
	if g.DeclaredSize != nil {
		if n := *g.DeclaredSize - f.Named; n > 0 {
			f.Parts = append(f.Parts, domain.FatePart{Key: domain.FateUnnamed, Text: fateText(domain.FateUnnamed, ""), N: n})
		} else {
			f.Excess = -n
		}
	}
	slices.SortFunc(f.Parts, func(a, b domain.FatePart) int {
		if d := slices.Index(domain.FateKeys, a.Key) - slices.Index(domain.FateKeys, b.Key); d != 0 {
			return d
		}
		return slices.Index(domain.LeaveReasons, a.Reason) - slices.Index(domain.LeaveReasons, b.Reason)
	})
	for _, p := range f.Parts {
		f.Total += p.N
	}
	f.Balanced = g.DeclaredSize != nil && f.Total == *g.DeclaredSize
	return f
}

// fateText says what a part means, in both languages: a reader must not
// take "fate unknown" for "dropped", nor a missing "kept" for "none kept".
func fateText(k domain.FateKey, r domain.LeaveReason) domain.Text {
	switch k {
	case domain.FateActive:
		return domain.T("اکنون در فهرست", "on the list today")
	case domain.FateKept:
		return domain.T("ماندند: در فهرست دولت بعد هم ثبت شده‌اند", "kept: recorded on a later government's list too")
	case domain.FateEvolved:
		return domain.T("تکامل یافتند یا جایگزین شدند: جانشینشان در فهرست بعد از آن‌ها برآمده است",
			"evolved or replaced: a successor descends from them")
	case domain.FateRemoved:
		return domain.T("حذف شدند: "+r.Text().FA, "removed: "+r.Text().EN)
	case domain.FateConfidential:
		return domain.T("محرمانه: فقط شمرده می‌شود، نامش نمی‌آید", "confidential: counted, not named")
	case domain.FateUnknown:
		return domain.T("سرنوشت نامعلوم: هنگام بسته شدن فهرست در آن بودند و هیچ سندی نمی‌گوید چه شدند",
			"fate unknown: on the list when it closed; no record says what became of them")
	case domain.FateUnnamed:
		return domain.T("هرگز نام برده نشدند: هیچ منبعی نامشان را نمی‌گوید", "never named: no source names them")
	}
	return domain.T(string(k), string(k))
}

// CheckFate returns an error when a breakdown does not add up to its
// list's declared size: a registry whose records and declared size
// disagree says so rather than showing a figure that does not add up.
func CheckFate(f domain.Fate) error {
	switch {
	case f.Declared == nil:
		return domain.Invalid("declared_size", "اندازه اعلام‌شده فهرست "+f.Program+" ثبت نشده است",
			"list "+f.Program+" has no declared size to add up to")
	case f.Excess > 0:
		return domain.Invalid("declared_size", "فهرست "+f.Program+" بیش از اندازه اعلام‌شده‌اش عضو دارد",
			"list "+f.Program+" names more members than its declared size")
	case !f.Balanced:
		return domain.Invalid("declared_size", "اجزای سرنوشت فهرست "+f.Program+" با اندازه اعلام‌شده‌اش جمع نمی‌شود",
			"the parts of list "+f.Program+"'s fate do not add up to its declared size")
	}
	return nil
}
