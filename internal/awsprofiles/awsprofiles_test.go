package awsprofiles

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const configFile = `# shared config
[default]
region = us-east-1

[profile prod]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1   # Ireland

[profile  staging ]
role_arn = arn:aws:iam::210987654321:role/ops
source_profile = default
s3 =
  max_concurrent_requests = 20
  region = not-a-profile-setting

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
ecs =
  endpoint_url = http://localhost:5000

[bare-name-ignored-in-config]
region = ap-south-1

[profile legacy-sso]
sso_start_url = https://old.awsapps.com/start
`

const credentialsFile = `[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

; a comment
[ci]
aws_access_key_id = AKIAEXAMPLE2
aws_secret_access_key = secret2
region = us-west-2

[prod]
aws_access_key_id = AKIAEXAMPLE3
aws_secret_access_key = secret3
region = ca-central-1
`

func writeFiles(t *testing.T, config, creds string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	cp, kp := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if config != "" {
		if err := os.WriteFile(cp, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if creds != "" {
		if err := os.WriteFile(kp, []byte(creds), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", cp)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", kp)
	return cp, kp
}

func TestLoadBothFiles(t *testing.T) {
	cp, kp := writeFiles(t, configFile, credentialsFile)
	ps, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := []Profile{
		{Name: "ci", Region: "us-west-2", Files: []string{kp}},
		{Name: "default", Region: "us-east-1", Files: []string{cp, kp}},
		{Name: "legacy-sso", SSO: true, Files: []string{cp}},
		{Name: "prod", Region: "eu-west-1", SSO: true, Files: []string{cp, kp}},
		{Name: "staging", Files: []string{cp}},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("Load() =\n%+v\nwant\n%+v", ps, want)
	}
	if got := Names(); !reflect.DeepEqual(got, []string{"ci", "default", "legacy-sso", "prod", "staging"}) {
		t.Errorf("Names() = %v", got)
	}
	if p, ok := Find("prod"); !ok || !p.SSO {
		t.Errorf("Find(prod) = %+v, %v", p, ok)
	}
	if _, ok := Find("corp"); ok {
		t.Errorf("an sso-session is not a profile")
	}
}

func TestOnlyOneFile(t *testing.T) {
	writeFiles(t, "", credentialsFile)
	if got := Names(); !reflect.DeepEqual(got, []string{"ci", "default", "prod"}) {
		t.Errorf("credentials only: Names() = %v", got)
	}
	writeFiles(t, configFile, "")
	if got := Names(); !reflect.DeepEqual(got, []string{"default", "legacy-sso", "prod", "staging"}) {
		t.Errorf("config only: Names() = %v", got)
	}
	writeFiles(t, "", "")
	ps, err := Load()
	if err != nil || len(ps) != 0 {
		t.Errorf("no files: Load() = %v, %v; want nothing, no error", ps, err)
	}
}

func TestDefaultLocationsAndTilde(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	if got, want := ConfigFile(), filepath.Join(home, ".aws", "config"); got != want {
		t.Errorf("ConfigFile() = %q, want %q", got, want)
	}
	if got, want := CredentialsFile(), filepath.Join(home, ".aws", "credentials"); got != want {
		t.Errorf("CredentialsFile() = %q, want %q", got, want)
	}
	t.Setenv("AWS_CONFIG_FILE", "~/elsewhere/config")
	if got, want := ConfigFile(), filepath.Join(home, "elsewhere", "config"); got != want {
		t.Errorf("ConfigFile() with ~ = %q, want %q", got, want)
	}
}

func TestUnreadableFileIsReported(t *testing.T) {
	_, kp := writeFiles(t, configFile, "")
	if err := os.Mkdir(kp, 0o700); err != nil { // a directory cannot be read as a file
		t.Fatal(err)
	}
	ps, err := Load()
	if err == nil {
		t.Errorf("Load() with an unreadable credentials file: no error")
	}
	if len(ps) != 4 {
		t.Errorf("the config file's profiles should still be returned, got %v", ps)
	}
}
