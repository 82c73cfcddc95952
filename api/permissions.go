package api

import (
	"net/http"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// Access is the set of roles that may call a route. It is checked before
// the handler runs; the service then narrows further where a role's reach
// depends on the record (an agency writes only its own agency's records,
// and a confidential project is "not found" to those not on it).
type Access uint8

const (
	anyone Access = 1 << iota // the public, without credentials
	reader
	council
	agency
	secretariat
	admin
	exchanger // the exchange operator's token: pushes telemetry, nothing else
)

// The access levels routes use.
const (
	Everyone    = anyone | reader | council | agency | secretariat | admin | exchanger
	Staff       = reader | council | agency | secretariat | admin // any signed-in role
	Writers     = agency | secretariat | admin                    // the service narrows agencies to their own
	Secretariat = secretariat | admin
	AdminOnly   = admin
)

var roleBits = map[service.Role]Access{
	service.RoleAnonymous: anyone, service.RoleReader: reader, service.RoleCouncil: council,
	service.RoleAgency: agency, service.RoleSecretariat: secretariat, service.RoleAdmin: admin,
	service.RoleExchange: exchanger,
}

// Allows reports whether the role may call a route with this access.
func (x Access) Allows(r service.Role) bool { return x&roleBits[r] != 0 }

// Permissions is Pishran's one permission table: every route the server
// serves, and who may call it. A route missing here makes New panic, so no
// route ships without a decision; a test walks every route × every role.
var Permissions = map[string]Access{
	"GET /healthz":             Everyone,
	"GET /api/v1/openapi.json": Everyone,

	"GET /api/v1/terms": Everyone, "POST /api/v1/terms": Secretariat,
	"GET /api/v1/terms/{number}": Everyone, "PUT /api/v1/terms/{number}": Secretariat, "DELETE /api/v1/terms/{number}": Secretariat,
	"GET /api/v1/agencies": Everyone, "POST /api/v1/agencies": Secretariat,
	"GET /api/v1/agencies/{code}": Everyone, "PUT /api/v1/agencies/{code}": Writers, "DELETE /api/v1/agencies/{code}": Secretariat,
	"GET /api/v1/agencies/{code}/obligations": Staff,
	"GET /api/v1/agencies/{code}/reminders":   Staff,
	"GET /api/v1/agencies/{code}/scorecard":   Everyone,
	"GET /api/v1/scorecards":                  Everyone,
	"GET /api/v1/programs/{id}/fate":          Everyone,
	"GET /api/v1/laws":                        Everyone, "POST /api/v1/laws": Secretariat,
	"GET /api/v1/laws/{slug}": Everyone, "PUT /api/v1/laws/{slug}": Secretariat, "DELETE /api/v1/laws/{slug}": Secretariat,
	"GET /api/v1/projects": Everyone, "POST /api/v1/projects": Writers,
	"GET /api/v1/projects/{slug}": Everyone, "PUT /api/v1/projects/{slug}": Writers, "DELETE /api/v1/projects/{slug}": Secretariat,
	"GET /api/v1/programs": Everyone, "POST /api/v1/programs": Secretariat,
	"GET /api/v1/programs/{id}": Everyone, "PUT /api/v1/programs/{id}": Secretariat, "DELETE /api/v1/programs/{id}": Secretariat,
	"GET /api/v1/programs/{id}/projects":                               Everyone,
	"POST /api/v1/programs/{id}/members":                               Secretariat,
	"POST /api/v1/programs/{id}/candidates":                            Secretariat,
	"POST /api/v1/programs/{id}/stages":                                Secretariat,
	"GET /api/v1/programs/{id}/preview":                                Secretariat,
	"GET /api/v1/programs/{id}/check":                                  Staff,
	"POST /api/v1/programs/{id}/members/{project}/leave":               Secretariat,
	"GET /api/v1/programs/{id}/members/{project}/events":               Everyone,
	"POST /api/v1/programs/{id}/members/{project}/events/{event}/void": Secretariat,
	"GET /api/v1/rules":                                                Everyone,
	"GET /api/v1/compare":                                              Everyone,

	"GET /api/v1/series": Everyone, "POST /api/v1/series": Secretariat, "GET /api/v1/series/{code}": Everyone,
	"GET /api/v1/meetings": Everyone, "POST /api/v1/meetings": Secretariat,
	"GET /api/v1/meetings/{id}": Everyone, "PUT /api/v1/meetings/{id}": Secretariat,
	"POST /api/v1/meetings/{id}/hold":           Secretariat,
	"POST /api/v1/meetings/{id}/close":          Secretariat,
	"POST /api/v1/meetings/{id}/amendments":     Secretariat,
	"GET /api/v1/meetings/{id}/agenda/proposal": Staff,
	"PUT /api/v1/meetings/{id}/agenda":          Secretariat,
	"POST /api/v1/meetings/{id}/outcomes":       Secretariat,
	"GET /api/v1/meetings/{id}/minutes":         Everyone,
	"GET /api/v1/actions":                       Everyone, "GET /api/v1/actions/{id}": Everyone, // the public: actions about public projects alone
	"POST /api/v1/actions/{id}/redate":  Secretariat,
	"POST /api/v1/actions/{id}/discuss": Writers,
	"POST /api/v1/actions/{id}/close":   Secretariat,
	"GET /api/v1/decisions":             Everyone, "GET /api/v1/decisions.atom": Everyone,
	"GET /api/v1/search": Everyone, // the public's kinds to the public; staff find theirs as the service lets them

	"GET /api/v1/projects/{slug}/milestones": Everyone, "POST /api/v1/projects/{slug}/milestones": Writers,
	"GET /api/v1/projects/{slug}/kpis": Everyone, "POST /api/v1/projects/{slug}/kpis": Writers,
	"GET /api/v1/reports": Everyone, "POST /api/v1/reports": Writers,
	"POST /api/v1/imports": Writers, "POST /api/v1/imports/{digest}/apply": Writers,
	"GET /api/v1/reports/{id}": Everyone, "PUT /api/v1/reports/{id}": Writers,
	"POST /api/v1/reports/{id}/submit":      Writers,
	"POST /api/v1/reports/{id}/accept":      Secretariat,
	"POST /api/v1/reports/{id}/return":      Secretariat,
	"POST /api/v1/reports/{id}/evidence":    Writers,
	"GET /api/v1/reports/{id}/evidence/{n}": Everyone,
	"GET /api/v1/projects/{slug}/ratings":   Everyone, "POST /api/v1/projects/{slug}/ratings": Writers,
	"GET /api/v1/ratings/scale":             Everyone,
	"GET /api/v1/projects/{slug}/baselines": Everyone, "POST /api/v1/projects/{slug}/baselines": Secretariat,
	"GET /api/v1/projects/{slug}/health": Everyone,
	"GET /api/v1/status":                 Everyone,
	"GET /api/v1/follow-up/policy":       Everyone,

	"POST /api/v1/session":                Everyone, // logging in is what the public does to stop being the public
	"DELETE /api/v1/session":              Everyone, // logging out: harmless without a session
	"POST /api/v1/session/revoke-all":     Staff,
	"GET /api/v1/me":                      Staff,
	"PUT /api/v1/me/password":             Staff,
	"GET /api/v1/users":                   AdminOnly,
	"POST /api/v1/users":                  AdminOnly,
	"GET /api/v1/users/{username}":        Staff, // one's own record; another's is "not found" (service)
	"PUT /api/v1/users/{username}":        AdminOnly,
	"POST /api/v1/users/{username}/reset": AdminOnly,
	"POST /api/v1/setup":                  Everyone, // guarded by the one-time setup token
	"POST /api/v1/password-reset":         Everyone, // guarded by the one-time reset token
	"GET /auth/oidc/login":                Everyone,
	"GET /auth/oidc/callback":             Everyone,

	"GET /api/v1/signing/keys": Everyone,
	"GET /api/v1/audit":        Secretariat,
	"GET /api/v1/audit/verify": AdminOnly,

	// The signed audit checkpoints are public: anyone may keep them.
	"GET /api/v1/audit/checkpoints": Everyone,

	// The National Information Exchange (issue 15; api/exchange.go).
	"POST /api/v1/exchange/imports":            exchanger | Secretariat,
	"GET /api/v1/exchange/identities":          Staff,
	"POST /api/v1/exchange/identities":         Secretariat,
	"GET /api/v1/exchange/services":            Staff,
	"POST /api/v1/exchange/services":           Secretariat,
	"GET /api/v1/projects/{slug}/integrations": Everyone, "POST /api/v1/projects/{slug}/integrations": Writers,
	"PUT /api/v1/projects/{slug}/integrations/{n}": Writers, "DELETE /api/v1/projects/{slug}/integrations/{n}": Writers,
	"GET /api/v1/reports/{id}/divergences": Staff,
}

// roleDenied answers a role the permission table does not let in: the
// public is asked to sign in (401), a signed-in role is refused (403).
func roleDenied(a service.Actor) error {
	if a.Role == service.RoleAnonymous {
		return domain.Unauthorized()
	}
	return &httpx.Error{Status: http.StatusForbidden, Message: domain.T(
		"نقش شما اجازه این کار را ندارد", "your role may not do this"), Type: "role-forbidden"}
}
