package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// tokenPrefix marks Pishran's API tokens, so a leaked one is easy to spot
// in logs and secret scanners.
const tokenPrefix = "pishran_"

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new API token and returns its secret, which is shown
// once and stored only as a hash. The secret has 256 random bits, so a plain
// SHA-256 is enough to store it: there is nothing to guess.
func (s *Service) CreateToken(ctx context.Context, role Role, name, agency string) (string, error) {
	if !ValidRole(role) {
		return "", domain.Invalid("role", "نقش نامعتبر؛ یکی از admin، secretariat، agency، reader", "invalid role; one of admin, secretariat, agency, reader")
	}
	if strings.TrimSpace(name) == "" {
		return "", domain.Invalid("name", "نام توکن لازم است", "a token name is required")
	}
	if err := domain.CheckLine("name", name, 200); err != nil {
		return "", err
	}
	if role == RoleAgency && agency == "" {
		return "", domain.Invalid("agency", "توکن دستگاه به کد دستگاه نیاز دارد", "an agency token needs the agency's code")
	}
	if role != RoleAgency && agency != "" {
		return "", domain.Invalid("agency", "فقط توکن نقش agency به دستگاه بسته می‌شود", "only an agency-role token is tied to an agency")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		k := &store.Token{Name: name, Role: string(role), Agency: agency, Hash: hashToken(secret)}
		if err := tx.InsertToken(k); err != nil {
			return err
		}
		return auditState(tx, "create", "token", strconv.FormatInt(k.ID, 10), nil)
	})
	return secret, err
}

// Authenticate returns the actor a bearer token's secret stands for.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return Anonymous, domain.Unauthorized()
	}
	var k *store.Token
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { k, err = tx.TokenByHash(hashToken(secret)); return err })
	if err != nil {
		return Anonymous, err
	}
	return Actor{Name: "token:" + k.Name, Role: Role(k.Role), Agency: k.Agency}, nil
}
