package sim

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Secrets Manager, SSM Parameter Store and KMS: described, never read.
// There is no way to get a secret's value out of the simulator, because
// the simulator never has one.

type secretsAPI struct{ a *Account }
type ssmAPI struct{ a *Account }
type kmsAPI struct{ a *Account }

// findSecret resolves a SecretId as Secrets Manager does: a name, a full
// ARN, or an ARN without its six random characters.
func (a *Account) findSecret(id string) *secret {
	for _, s := range a.secrets.list() {
		if id == s.arn || id == s.name || (strings.HasPrefix(id, "arn:") && len(s.arn) > 7 && id == s.arn[:len(s.arn)-7]) {
			return s
		}
	}
	return nil
}

func (x *secretsAPI) DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	a := x.a
	if err := a.enter(ctx, "secretsmanager:DescribeSecret", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	s := a.findSecret(aws.ToString(in.SecretId))
	if s == nil {
		return nil, apiError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	}
	out := &secretsmanager.DescribeSecretOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), CreatedDate: timePtr(s.created), LastChangedDate: timePtr(s.created),
		RotationEnabled:    aws.Bool(false),
		VersionIdsToStages: map[string][]string{s.version: {"AWSCURRENT"}},
	}
	// Secrets Manager omits KmsKeyId when the AWS managed key protects the secret.
	if s.kmsKey != "" {
		out.KmsKeyId = aws.String(s.kmsKey)
	}
	return out, nil
}

// findParameter resolves a valueFrom (a name or an ARN) to a parameter.
func (a *Account) findParameter(ref string) *parameter {
	for _, n := range facts.ParameterNameCandidates(ref) {
		if p := a.params.get(n); p != nil {
			return p
		}
	}
	return nil
}

func (x *ssmAPI) DescribeParameters(ctx context.Context, in *ssm.DescribeParametersInput, _ ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ssm:DescribeParameters", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if m := aws.ToInt32(in.MaxResults); m > 50 {
		return nil, apiError("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50", m)
	}
	var list []ssmtypes.ParameterMetadata
	for _, p := range a.params.list() {
		ok, err := parameterPasses(p, in)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		md := ssmtypes.ParameterMetadata{
			Name: aws.String(p.name), ARN: aws.String(p.arn), Type: ssmtypes.ParameterType(p.typ), LastModifiedDate: timePtr(p.modified),
			LastModifiedUser: aws.String(a.callerARN()), Version: 1, Tier: ssmtypes.ParameterTierStandard, DataType: aws.String("text"),
			Policies: []ssmtypes.ParameterInlinePolicy{},
		}
		if p.keyID != "" {
			md.KeyId = aws.String(p.keyID)
		}
		list = append(list, md)
	}
	items, next, err := page(a, "DescribeParameters", list, in.NextToken, aws.ToInt32(in.MaxResults), 10, "InvalidNextToken")
	if err != nil {
		return nil, err
	}
	return &ssm.DescribeParametersOutput{Parameters: items, NextToken: next}, nil
}

// parameterPasses applies DescribeParameters' filters: Name (Equals or
// BeginsWith), Type and KeyId, in either filter style.
func parameterPasses(p *parameter, in *ssm.DescribeParametersInput) (bool, error) {
	check := func(key, option string, values []string) (bool, error) {
		var have string
		switch key {
		case "Name":
			have = p.name
		case "Type":
			have = p.typ
		case "KeyId":
			have = p.keyID
		case "Path":
			have = "/"
			if i := strings.LastIndexByte(p.name, '/'); i > 0 {
				have = p.name[:i]
			}
		default:
			return false, apiError("InvalidFilterKey", "The following filter key is not valid: %s", key)
		}
		for _, v := range values {
			switch option {
			case "", "Equals":
				if have == v {
					return true, nil
				}
			case "BeginsWith":
				if strings.HasPrefix(have, v) {
					return true, nil
				}
			case "Contains":
				if strings.Contains(have, v) {
					return true, nil
				}
			default:
				return false, apiError("InvalidFilterOption", "The following filter option is not valid: %s", option)
			}
		}
		return false, nil
	}
	for _, f := range in.ParameterFilters {
		if ok, err := check(aws.ToString(f.Key), aws.ToString(f.Option), f.Values); !ok || err != nil {
			return false, err
		}
	}
	for _, f := range in.Filters {
		option := "Equals"
		if f.Key == ssmtypes.ParametersFilterKeyName {
			option = "BeginsWith"
		}
		if ok, err := check(string(f.Key), option, f.Values); !ok || err != nil {
			return false, err
		}
	}
	return true, nil
}

// findKey resolves a KeyId as KMS does: key id, key ARN, alias name or
// alias ARN. AWS managed keys come into being on first use.
func (a *Account) findKey(ref string) *kmsKey {
	if ref == "" {
		return nil
	}
	alias := ref
	if i := strings.Index(ref, ":alias/"); i >= 0 {
		alias = ref[i+1:]
	}
	for _, k := range a.keys.list() {
		if k.id == ref || k.arn == ref || (k.alias != "" && k.alias == alias) {
			return k
		}
	}
	if strings.HasPrefix(alias, "alias/aws/") {
		return a.awsManagedKey(alias)
	}
	return nil
}

func (x *kmsAPI) DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, _ ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	a := x.a
	if err := a.enter(ctx, "kms:DescribeKey", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	ref := aws.ToString(in.KeyId)
	k := a.findKey(ref)
	if k == nil {
		if strings.Contains(ref, "alias/") {
			name := ref
			if !strings.HasPrefix(ref, "arn:") {
				name = a.arn("kms", a.region, ref)
			}
			return nil, apiError("NotFoundException", "Alias %s is not found.", name)
		}
		arn := ref
		if !strings.HasPrefix(ref, "arn:") {
			arn = a.arn("kms", a.region, "key/"+ref)
		}
		return nil, apiError("NotFoundException", "Key '%s' does not exist", arn)
	}
	return &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{
		KeyId: aws.String(k.id), Arn: aws.String(k.arn), AWSAccountId: aws.String(a.account), CreationDate: timePtr(k.created),
		Description: aws.String(k.desc), Enabled: true, KeyState: kmstypes.KeyStateEnabled, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt,
		KeySpec:    kmstypes.KeySpecSymmetricDefault,
		KeyManager: kmstypes.KeyManagerType(k.manager), Origin: kmstypes.OriginTypeAwsKms, MultiRegion: aws.Bool(false),
		EncryptionAlgorithms: []kmstypes.EncryptionAlgorithmSpec{kmstypes.EncryptionAlgorithmSpecSymmetricDefault},
	}}, nil
}
