package seal_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/qrdecode"
	"github.com/pishran/pishran/seal"
)

// TestQRReadsBack draws verification addresses and reads them back with an
// independent decoder: what a phone's camera would find.
func TestQRReadsBack(t *testing.T) {
	for _, u := range []string{
		seal.URL("https://pishran.example.ir/", "7K3QX-2M9PA"),
		seal.URL("http://127.0.0.1:8080", "ABCDE-FGHJ0"),
		seal.URL("https://portal.ito.gov.ir/pishran", "00000-00000"),
	} {
		svg, err := seal.SVG(u, 200)
		if err != nil {
			t.Fatal(err)
		}
		got, err := qrdecode.SVG(svg, 4)
		if err != nil || got != u {
			t.Errorf("%s: read back %q (%v)", u, got, err)
		}
		in, err := seal.Inline(u, 120, "QR <code>")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := qrdecode.SVG([]byte(in), 3); err != nil || got != u {
			t.Errorf("inline %s: read back %q (%v)", u, got, err)
		}
		if !strings.Contains(string(in), `aria-label="QR &lt;code&gt;"`) || strings.Contains(string(in), "style") {
			t.Errorf("inline SVG: %s", in)
		}
	}
	if got := seal.URL("", "ABCDE-FGHJ0"); got != "/verify/ABCDE-FGHJ0" {
		t.Errorf("URL without a base = %q", got)
	}
	if got := seal.QRPath("ABCDE-FGHJ0"); got != "/verify/ABCDE-FGHJ0/qr.svg" {
		t.Errorf("QRPath = %q", got)
	}
}

// TestQRNotAnother: the code read back is the address given, not any
// address: two codes draw two different images.
func TestQRNotAnother(t *testing.T) {
	a, _ := seal.SVG(seal.URL("https://x.ir", "AAAAA-AAAAA"), 100)
	b, _ := seal.SVG(seal.URL("https://x.ir", "AAAAA-AAAAB"), 100)
	if string(a) == string(b) {
		t.Fatal("two addresses, one drawing")
	}
}

// TestQRReadsBackMany draws 1,500 verification addresses of the shape the
// tests' servers hand out (a random port, a random code) and reads each
// back: the API's and the pages' tests read a few such codes per run, and
// one in a few hundred once failed them (qrdecode.SVG says why).
func TestQRReadsBackMany(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"
	for range 1500 {
		b := make([]byte, 11)
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		b[5] = '-'
		u := seal.URL(fmt.Sprintf("http://127.0.0.1:%d", 30000+r.IntN(30000)), string(b))
		svg, err := seal.SVG(u, 200)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := qrdecode.SVG(svg, 4); err != nil || got != u {
			t.Errorf("%s: read back %q (%v)", u, got, err)
		}
	}
}
