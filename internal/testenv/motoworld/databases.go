package motoworld

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// engine holds what an RDS engine needs that the scenario leaves implicit.
type engine struct {
	port     int32
	family   string // parameter group family
	forceSSL string // the parameter that refuses unencrypted connections
}

var engines = map[string]engine{
	"postgres": {5432, "postgres16", "rds.force_ssl"},
	"mysql":    {3306, "mysql8.0", "require_secure_transport"},
	"mariadb":  {3306, "mariadb10.11", "require_secure_transport"},
}

// databases creates each instance with its own DB subnet group and, where
// RequireSSL, a parameter group that forces TLS (readable per moto.md).
func (b *builder) databases(ctx context.Context) error {
	for _, d := range b.sc.World.Databases {
		if err := b.database(ctx, d); err != nil {
			return fmt.Errorf("database %s: %w", d.Name, err)
		}
	}
	return nil
}

func (b *builder) database(ctx context.Context, d scenario.Database) error {
	name := d.Engine
	if name == "" {
		name = "postgres"
	}
	eng, ok := engines[name]
	if !ok {
		return fmt.Errorf("engine %q is not one of postgres, mysql, mariadb", name)
	}
	port := d.Port
	if port == 0 {
		port = eng.port
	}
	groups, err := b.ids("sg", d.SecurityGroups)
	if err != nil {
		return err
	}
	subnets, err := b.ids("subnet", d.Subnets)
	if err != nil {
		return err
	}
	if len(subnets) == 0 {
		return fmt.Errorf("no subnets")
	}
	in := &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String(d.Name),
		DBInstanceClass:      aws.String("db.t3.micro"),
		Engine:               aws.String(name),
		MasterUsername:       aws.String("postgres"),
		MasterUserPassword:   aws.String(dummyValue),
		AllocatedStorage:     aws.Int32(20),
		Port:                 aws.Int32(port),
		VpcSecurityGroupIds:  groups,
		DBSubnetGroupName:    aws.String(d.Name + "-subnets"),
	}
	if _, err := b.c.rds.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName:        in.DBSubnetGroupName,
		DBSubnetGroupDescription: aws.String("subnets of " + d.Name),
		SubnetIds:                subnets,
	}); err != nil {
		return err
	}
	if d.RequireSSL {
		in.DBParameterGroupName = aws.String(d.Name + "-params")
		if _, err := b.c.rds.CreateDBParameterGroup(ctx, &rds.CreateDBParameterGroupInput{
			DBParameterGroupName: in.DBParameterGroupName, DBParameterGroupFamily: aws.String(eng.family),
			Description: aws.String("TLS required for " + d.Name),
		}); err != nil {
			return err
		}
		if _, err := b.c.rds.ModifyDBParameterGroup(ctx, &rds.ModifyDBParameterGroupInput{
			DBParameterGroupName: in.DBParameterGroupName,
			Parameters: []rdstypes.Parameter{{
				ParameterName: aws.String(eng.forceSSL), ParameterValue: aws.String("1"),
				ApplyMethod: rdstypes.ApplyMethodImmediate,
			}},
		}); err != nil {
			return err
		}
	}
	out, err := b.c.rds.CreateDBInstance(ctx, in)
	if err != nil {
		return err
	}
	if out.DBInstance.Endpoint == nil {
		return fmt.Errorf("CreateDBInstance returned no endpoint")
	}
	b.w.IDs["db:"+d.Name] = aws.ToString(out.DBInstance.Endpoint.Address)
	return nil
}
