package awsx

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// secretRefs lists every secret reference of a task definition: container
// secrets and private registry credentials.
func secretRefs(td *facts.TaskDefinition) (secrets, params []string) {
	for _, c := range td.Containers {
		for _, s := range c.Secrets {
			if facts.ClassifyValueFrom(s.ValueFrom) == facts.RefSecret {
				secrets = append(secrets, s.ValueFrom)
			} else {
				params = append(params, s.ValueFrom)
			}
		}
		if c.RepositoryCredentials != "" {
			secrets = append(secrets, c.RepositoryCredentials)
		}
	}
	return dedupe(secrets), dedupe(params)
}

// fetchSecrets describes each referenced secret (never its value).
func (st *gathering) fetchSecrets(ctx context.Context, refs []string) ([]facts.Secret, error) {
	out := make([]facts.Secret, len(refs))
	eg, gctx := errgroup.WithContext(ctx)
	for i, ref := range refs {
		eg.Go(func() error {
			s := facts.Secret{Ref: ref}
			d, err := st.g.R.Secrets.DescribeSecret(gctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(facts.SecretID(ref))})
			switch {
			case err == nil:
				s.Found = true
				s.ARN = aws.ToString(d.ARN)
				s.Name = aws.ToString(d.Name)
				s.KMSKeyID = aws.ToString(d.KmsKeyId)
				s.Deleted = d.DeletedDate
			case IsNotFound(err):
				s.ARN = facts.SecretID(ref)
			default:
				return err
			}
			out[i] = s
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// fetchParameters describes the referenced SSM parameters in batches (the
// Name filter takes 50 values), never reading their values.
func (st *gathering) fetchParameters(ctx context.Context, refs []string) ([]facts.Parameter, error) {
	var names []string
	for _, r := range refs {
		names = append(names, facts.ParameterNameCandidates(r)...)
	}
	found := map[string]ssmtypes.ParameterMetadata{}
	for _, batch := range chunk(dedupe(names), 50) {
		p := ssm.NewDescribeParametersPaginator(st.g.R.SSM, &ssm.DescribeParametersInput{
			ParameterFilters: []ssmtypes.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: batch}},
			MaxResults:       aws.Int32(50),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, m := range page.Parameters {
				found[aws.ToString(m.Name)] = m
			}
		}
	}
	var out []facts.Parameter
	for _, r := range refs {
		fp := facts.Parameter{Ref: r, Name: facts.ParameterName(r)}
		for _, n := range facts.ParameterNameCandidates(r) {
			if m, ok := found[n]; ok {
				fp.Found = true
				fp.Name = n
				fp.ARN = aws.ToString(m.ARN)
				fp.Type = string(m.Type)
				fp.KeyID = aws.ToString(m.KeyId)
				break
			}
		}
		out = append(out, fp)
	}
	return out, nil
}

// customKeyRefs lists the KMS keys of secrets and parameters that are not
// AWS managed (alias/aws/...): only customer managed keys need kms:Decrypt
// in the execution role.
func customKeyRefs(secrets []facts.Secret, params []facts.Parameter) []string {
	var refs []string
	for _, s := range secrets {
		if s.KMSKeyID != "" && !strings.HasPrefix(s.KMSKeyID, "alias/aws/") {
			refs = append(refs, s.KMSKeyID)
		}
	}
	for _, p := range params {
		if p.Type == "SecureString" && p.KeyID != "" && !strings.HasPrefix(p.KeyID, "alias/aws/") {
			refs = append(refs, p.KeyID)
		}
	}
	return dedupe(refs)
}

func (st *gathering) fetchKMSKeys(ctx context.Context, refs []string) ([]facts.KMSKey, error) {
	out := make([]facts.KMSKey, len(refs))
	eg, gctx := errgroup.WithContext(ctx)
	for i, ref := range refs {
		eg.Go(func() error {
			k := facts.KMSKey{Ref: ref}
			d, err := st.g.R.KMS.DescribeKey(gctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)})
			switch {
			case err == nil && d.KeyMetadata != nil:
				k.Found = true
				k.ARN = aws.ToString(d.KeyMetadata.Arn)
				k.KeyID = aws.ToString(d.KeyMetadata.KeyId)
				k.Manager = string(d.KeyMetadata.KeyManager)
				k.State = string(d.KeyMetadata.KeyState)
			case err == nil, IsNotFound(err):
			default:
				return err
			}
			out[i] = k
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
