package motoworld

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// dummyValue is every secret's and parameter's value: the diagnosis must
// never read values, and a recognisable one shows it if it ever does.
const dummyValue = "ecsdoctor-test-value-never-read"

func (b *builder) kmsKeys(ctx context.Context) error {
	for _, k := range b.sc.World.KMSKeys {
		out, err := b.c.kms.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(k.Name)})
		if err != nil {
			return fmt.Errorf("key %s: %w", k.Name, err)
		}
		if _, err := b.c.kms.CreateAlias(ctx, &kms.CreateAliasInput{
			AliasName: aws.String("alias/" + k.Name), TargetKeyId: out.KeyMetadata.KeyId,
		}); err != nil {
			return fmt.Errorf("key %s: alias: %w", k.Name, err)
		}
		b.w.IDs["kms:"+k.Name] = aws.ToString(out.KeyMetadata.Arn)
	}
	return nil
}

func (b *builder) secrets(ctx context.Context) error {
	for _, s := range b.sc.World.Secrets {
		in := &secretsmanager.CreateSecretInput{Name: aws.String(s.Name), SecretString: aws.String(dummyValue)}
		if s.KMSKey != "" {
			in.KmsKeyId = aws.String(b.w.IDs["kms:"+s.KMSKey])
		}
		out, err := b.c.secrets.CreateSecret(ctx, in)
		if err != nil {
			return fmt.Errorf("secret %s: %w", s.Name, err)
		}
		b.w.IDs["secret:"+s.Name] = aws.ToString(out.ARN)
	}
	return nil
}

func (b *builder) parameters(ctx context.Context) error {
	for _, p := range b.sc.World.Parameters {
		kind := ssmtypes.ParameterType(p.Type)
		if kind == "" {
			kind = ssmtypes.ParameterTypeSecureString
		}
		in := &ssm.PutParameterInput{Name: aws.String(p.Name), Type: kind, Value: aws.String(dummyValue)}
		if p.KMSKey != "" {
			in.KeyId = aws.String(b.w.IDs["kms:"+p.KMSKey])
		}
		if _, err := b.c.ssm.PutParameter(ctx, in); err != nil {
			return fmt.Errorf("parameter %s: %w", p.Name, err)
		}
		// PutParameter answers with a version only; the ARN comes from GetParameter.
		out, err := b.c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(p.Name)})
		if err != nil {
			return fmt.Errorf("parameter %s: %w", p.Name, err)
		}
		b.w.IDs["param:"+p.Name] = aws.ToString(out.Parameter.ARN)
	}
	return nil
}

func (b *builder) logGroups(ctx context.Context) error {
	for _, g := range b.sc.World.LogGroups {
		if _, err := b.c.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{
			LogGroupName: aws.String(g.Name),
		}); err != nil {
			return fmt.Errorf("log group %s: %w", g.Name, err)
		}
	}
	return nil
}
