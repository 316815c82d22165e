package awsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// InputError is bad input from the user: an unknown cluster, service, task,
// profile or region. The CLI prints Message alone and exits 2.
type InputError struct{ Message string }

func (e *InputError) Error() string { return e.Message }

// AccessError means AWS could not be reached, or the credentials are missing
// or expired. The CLI prints Message alone and exits 3.
type AccessError struct {
	Message string
	Err     error
	// login is the command that renews an expired or missing SSO session
	// (the one Message names), so that a UI can run it; nil otherwise.
	login []string
}

func (e *AccessError) Error() string { return e.Message }
func (e *AccessError) Unwrap() error { return e.Err }

// Error codes AWS uses for "you may not", across services.
var accessDeniedCodes = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"UnauthorizedAccess": true, "AuthorizationError": true, "Forbidden": true,
	"AuthorizationErrorException": true, "UnauthorizedException": true,
}

// Error codes that mean the credentials themselves are bad.
var credentialCodes = map[string]bool{
	"ExpiredToken": true, "ExpiredTokenException": true, "InvalidClientTokenId": true,
	"UnrecognizedClientException": true, "InvalidSignatureException": true,
	"SignatureDoesNotMatch": true, "AuthFailure": true, "InvalidAccessKeyId": true,
	"RequestExpired": true, "IncompleteSignature": true,
}

var throttlingCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "RequestLimitExceeded": true,
	"TooManyRequestsException": true, "RequestThrottled": true, "SlowDown": true,
	"ProvisionedThroughputExceededException": true, "RequestThrottledException": true,
}

// ErrorCode returns AWS's error code for err, or "".
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// IsAccessDenied reports whether AWS refused the call for lack of permission.
func IsAccessDenied(err error) bool { return accessDeniedCodes[ErrorCode(err)] }

// IsNotFound reports whether err is one of AWS's many "no such thing" codes.
func IsNotFound(err error) bool {
	c := ErrorCode(err)
	return c == "NoSuchEntity" || c == "ResourceNotFoundException" || strings.HasSuffix(c, "NotFound") ||
		strings.HasSuffix(c, "NotFoundException") || strings.HasSuffix(c, ".NotFound") ||
		strings.HasSuffix(c, "NotFoundFault") || c == "ParameterNotFound"
}

// Classify turns a failed call into an access problem that stops the whole
// diagnosis (credentials, reachability), or nil when only this call failed.
func Classify(op string, err error, profile string) *AccessError {
	if err == nil {
		return nil
	}
	var tokenErr *ssocreds.InvalidTokenError
	if errors.As(err, &tokenErr) || strings.Contains(err.Error(), "SSO session") ||
		strings.Contains(err.Error(), "refresh cached SSO token") || strings.Contains(err.Error(), "read cached SSO token") {
		login := ssoLogin(profile)
		return &AccessError{Err: err, login: login, Message: "the AWS SSO session has expired or was never started: run `" + strings.Join(login, " ") + "` and try again"}
	}
	if strings.Contains(err.Error(), "failed to retrieve credentials") || strings.Contains(err.Error(), "no EC2 IMDS role found") ||
		strings.Contains(err.Error(), "failed to refresh cached credentials") {
		if profile != "" {
			return &AccessError{Err: err, Message: "profile " + profile + " gave no usable AWS credentials: check it with `aws sts get-caller-identity --profile " + profile + "`"}
		}
		return &AccessError{Err: err, Message: "no AWS credentials were found: set AWS_PROFILE or pass --profile, or configure credentials with `aws configure`"}
	}
	if code := ErrorCode(err); credentialCodes[code] {
		return &AccessError{Err: err, Message: fmt.Sprintf("AWS rejected the credentials (%s on %s): they are invalid or expired; refresh them%s", code, op, profileHint(profile))}
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) {
		return &AccessError{Err: err, Message: fmt.Sprintf("could not reach AWS for %s: %s; check the network, proxy settings and --endpoint-url", op, rootCause(err))}
	}
	return nil
}

func ssoLogin(profile string) []string {
	if profile == "" {
		return []string{"aws", "sso", "login"}
	}
	return []string{"aws", "sso", "login", "--profile", profile}
}

// SSOLoginCommand returns the command that renews the SSO session when err
// failed because that session expired or was never started (an
// *AccessError from Classify, however wrapped): the same command its
// message tells the user to run, as arguments, never through a shell.
func SSOLoginCommand(err error) (cmd []string, ok bool) {
	var ae *AccessError
	if !errors.As(err, &ae) || len(ae.login) == 0 {
		return nil, false
	}
	return append([]string(nil), ae.login...), true
}

func profileHint(profile string) string {
	if profile == "" {
		return ""
	}
	return " (profile " + profile + ")"
}

// rootCause is the innermost error text, without the SDK's layers of
// "operation error X: https response error ...".
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// FetchError describes a failed call in a sentence a user can act on:
// which call, which permission, and what to try.
func FetchError(op string, err error) *facts.FetchError {
	fe := &facts.FetchError{Operation: op, Code: ErrorCode(err)}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fe.Code = "Timeout"
		fe.Message = fmt.Sprintf("%s timed out; AWS may be slow or unreachable from here: try again, or raise the timeout", op)
	case errors.Is(err, context.Canceled):
		fe.Code = "Canceled"
		fe.Message = op + " was cancelled"
	case IsAccessDenied(err):
		fe.Message = fmt.Sprintf("AccessDenied on %s: the identity running ecsdoctor lacks the permission %s; add it (docs/iam/diagnose-policy.json lists every permission the diagnosis uses)", op, op)
	case throttlingCodes[fe.Code]:
		fe.Message = fmt.Sprintf("%s was throttled by AWS even after retries; wait a minute and refresh", op)
	case fe.Code != "":
		var ae smithy.APIError
		errors.As(err, &ae)
		fe.Message = fmt.Sprintf("%s failed: %s: %s", op, fe.Code, ae.ErrorMessage())
	default:
		fe.Code = "Error"
		fe.Message = fmt.Sprintf("%s failed: %s", op, rootCause(err))
	}
	return fe
}

// ConfigError turns an error from loading the shared config into the error
// the CLI shows.
func ConfigError(err error, profile string) error {
	var notExist config.SharedConfigProfileNotExistError
	if errors.As(err, &notExist) {
		return &InputError{Message: fmt.Sprintf("unknown AWS profile %q: it is not in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)", notExist.Profile)}
	}
	if ae := Classify("loading AWS configuration", err, profile); ae != nil {
		return ae
	}
	return &InputError{Message: "cannot load the AWS configuration: " + rootCause(err)}
}
