package awsx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
)

// Options select the AWS account, region and endpoint, as the global flags
// give them.
type Options struct {
	Profile     string
	Region      string
	EndpointURL string
	// CallTimeout bounds each AWS operation (default 20 s).
	CallTimeout time.Duration
	// DebugLog receives one line per AWS request when set.
	DebugLog io.Writer
	// HTTPClient replaces the SDK's (benchmarks add latency with it).
	HTTPClient aws.HTTPClient
}

// Session is a loaded AWS configuration with ecsdoctor's middleware on it.
type Session struct {
	Config     aws.Config
	Profile    string
	Middleware *Middleware
}

// Load resolves credentials and region the way the AWS CLI does (shared
// config and credentials files, SSO, assume-role, environment variables),
// then adds the middleware every client must carry.
func Load(ctx context.Context, o Options) (*Session, error) {
	if o.Region != "" && !KnownRegion(o.Region) {
		return nil, &InputError{Message: "unknown AWS region " + quote(o.Region) + ": use a region name such as us-east-1 or eu-west-1"}
	}
	mw := &Middleware{Counter: NewCallCounter(), CallTimeout: o.CallTimeout, DebugLog: o.DebugLog}
	if mw.CallTimeout == 0 {
		mw.CallTimeout = 20 * time.Second
	}
	opts := []func(*config.LoadOptions) error{
		config.WithAPIOptions(mw.APIOptions()),
		// Throttling is normal on busy accounts; back off and retry it,
		// but give up before a user waiting at a terminal gives up on us.
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = 5
				so.MaxBackoff = 5 * time.Second
			})
		}),
	}
	// The SDK logs warnings (a response body it could not drain, a retry)
	// to stderr by default; ecsdoctor's stderr carries one line per error,
	// so they go to the debug log or nowhere.
	if o.DebugLog != nil {
		opts = append(opts, config.WithLogger(logging.NewStandardLogger(o.DebugLog)))
	} else {
		opts = append(opts, config.WithLogger(logging.Nop{}))
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.EndpointURL != "" {
		opts = append(opts, config.WithBaseEndpoint(o.EndpointURL))
	}
	if o.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(o.HTTPClient))
	} else {
		opts = append(opts, config.WithHTTPClient(defaultHTTPClient()))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, ConfigError(err, o.Profile)
	}
	if cfg.Region == "" {
		return nil, &InputError{Message: "no AWS region is set: pass --region, set AWS_REGION, or set region in the profile"}
	}
	if !KnownRegion(cfg.Region) {
		return nil, &InputError{Message: "unknown AWS region " + quote(cfg.Region) + " (from the environment or profile): use a region name such as us-east-1"}
	}
	profile := o.Profile
	if profile == "" {
		profile = os.Getenv("AWS_PROFILE")
	}
	return &Session{Config: cfg, Profile: profile, Middleware: mw}, nil
}

// defaultHTTPClient allows enough idle connections per host for a
// diagnosis's widest wave (about 25 concurrent requests, many to EC2), so
// that connections are reused instead of re-dialled.
// It stays an SDK BuildableClient so that AWS_CA_BUNDLE and other custom
// transport settings from the shared config still apply.
func defaultHTTPClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConnsPerHost = 32
	})
}

func quote(s string) string { return "\"" + s + "\"" }

// IsInputError reports whether err is bad user input (exit 2).
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// IsAccessError reports whether err means AWS is unreachable or the
// credentials are unusable (exit 3).
func IsAccessError(err error) bool {
	var ae *AccessError
	return errors.As(err, &ae)
}
