package itest

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// Dummy credentials for moto, and no user configuration: the tests must
	// not depend on (or touch) the developer's own AWS setup.
	os.Setenv("AWS_ACCESS_KEY_ID", "testing")
	os.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	os.Setenv("AWS_SESSION_TOKEN", "testing")
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Unsetenv("AWS_PROFILE")
	// moto speaks plain HTTP; a CA bundle would only stop custom transports.
	os.Unsetenv("AWS_CA_BUNDLE")
	os.Exit(m.Run())
}
