package service_test

import (
	"testing"

	"github.com/pishran/pishran/service"
)

// TestMapClaimsCleansDisplayName checks that a provider's display name
// holding bidirectional controls or line breaks is cleaned, not refused:
// the person signs in, and the name shown holds none of them.
func TestMapClaimsCleansDisplayName(t *testing.T) {
	c := &service.OIDCConfig{UsernameClaim: "preferred_username", DisplayNameClaim: "name", DefaultRole: "reader"}
	u, err := c.MapClaims(map[string]any{"preferred_username": "ali", "name": "\u202bعلی رضایی\u202c\n(IT)"})
	if err != nil {
		t.Fatalf("sign-in refused: %v", err)
	}
	if u.DisplayName.FA != "علی رضایی (IT)" || u.DisplayName.EN != u.DisplayName.FA {
		t.Errorf("display name %q", u.DisplayName)
	}
}
