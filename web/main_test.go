package web_test

import (
	"os"
	"testing"
)

// TestMain stops the browser the browser tests share (browser_test.go).
func TestMain(m *testing.M) {
	code := m.Run()
	chromium.stop()
	os.Exit(code)
}
