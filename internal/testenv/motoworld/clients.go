package motoworld

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
)

// clients are the real SDK clients, all pointed at the moto server.
type clients struct {
	ec2     *ec2.Client
	ecs     *ecs.Client
	ecr     *ecr.Client
	iam     *iam.Client
	kms     *kms.Client
	logs    *cloudwatchlogs.Client
	rds     *rds.Client
	secrets *secretsmanager.Client
	ssm     *ssm.Client
	sts     *sts.Client
}

func newClients(cfg aws.Config) clients {
	return clients{
		ec2:     ec2.NewFromConfig(cfg),
		ecs:     ecs.NewFromConfig(cfg),
		ecr:     ecr.NewFromConfig(cfg),
		iam:     iam.NewFromConfig(cfg),
		kms:     kms.NewFromConfig(cfg),
		logs:    cloudwatchlogs.NewFromConfig(cfg),
		rds:     rds.NewFromConfig(cfg),
		secrets: secretsmanager.NewFromConfig(cfg),
		ssm:     ssm.NewFromConfig(cfg),
		sts:     sts.NewFromConfig(cfg),
	}
}

// builder carries one Build: the world being filled and the clients.
type builder struct {
	w   *World
	sc  *scenario.Scenario
	srv *moto.Server
	c   clients
}

// account records the caller's account: moto's, whatever the scenario says,
// because every ARN moto hands out carries it.
func (b *builder) account(ctx context.Context) error {
	out, err := b.c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return err
	}
	b.w.Account = aws.ToString(out.Account)
	return nil
}

// id returns the id of a named resource of this world, or fails.
func (b *builder) id(kind, name string) (string, error) {
	if v, ok := b.w.IDs[kind+":"+name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no %s named %q was built", kind, name)
}

// ids maps names to ids, failing on the first unknown one.
func (b *builder) ids(kind string, names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	for _, n := range names {
		v, err := b.id(kind, n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
