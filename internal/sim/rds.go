package sim

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// rdsAPI is the account's RDS endpoint (awsx.RDSReader). The simulator's
// databases are single instances; there are no Aurora clusters.
type rdsAPI struct{ a *Account }

func (x *rdsAPI) DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, _ ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "rds:DescribeDBInstances", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	want := strings.ToLower(lastColon(aws.ToString(in.DBInstanceIdentifier)))
	var list []rdstypes.DBInstance
	for _, db := range a.dbs.list() {
		if want != "" && db.id != want {
			continue
		}
		ok := true
		for _, f := range in.Filters {
			switch aws.ToString(f.Name) {
			case "db-instance-id":
				ok = ok && (contains(f.Values, db.id) || contains(f.Values, db.arn))
			case "engine":
				ok = ok && contains(f.Values, db.engine)
			case "dbi-resource-id":
				ok = ok && contains(f.Values, db.resourceID)
			case "db-cluster-id":
				ok = false // no instance here belongs to a cluster
			default:
				return nil, apiError("InvalidParameterValue", "Unrecognized filter name: %s.", aws.ToString(f.Name))
			}
		}
		if ok {
			list = append(list, a.renderDB(db))
		}
	}
	if want != "" && len(list) == 0 {
		return nil, apiError("DBInstanceNotFound", "DBInstance %s not found.", aws.ToString(in.DBInstanceIdentifier))
	}
	items, next, err := page(a, "DescribeDBInstances", list, in.Marker, aws.ToInt32(in.MaxRecords), 100, "InvalidParameterValue")
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBInstancesOutput{DBInstances: items, Marker: next}, nil
}

func lastColon(s string) string {
	if i := strings.LastIndexByte(s, ':'); i >= 0 && strings.HasPrefix(s, "arn:") {
		return s[i+1:]
	}
	return s
}

func (a *Account) renderDB(db *database) rdstypes.DBInstance {
	out := rdstypes.DBInstance{
		DBInstanceIdentifier: aws.String(db.id), DBInstanceArn: aws.String(db.arn), DBInstanceClass: aws.String("db.t3.micro"),
		Engine: aws.String(db.engine), EngineVersion: aws.String(db.version), DBInstanceStatus: aws.String("available"),
		MasterUsername: aws.String(db.user), AllocatedStorage: aws.Int32(20), InstanceCreateTime: timePtr(db.created),
		Endpoint:           &rdstypes.Endpoint{Address: aws.String(db.address), Port: aws.Int32(db.port), HostedZoneId: aws.String("Z2R2ITUGPM61AM")},
		DbInstancePort:     aws.Int32(0),
		PubliclyAccessible: aws.Bool(false), MultiAZ: aws.Bool(false), StorageEncrypted: aws.Bool(true),
		DbiResourceId: aws.String(db.resourceID), CACertificateIdentifier: aws.String("rds-ca-rsa2048-g1"),
		DBParameterGroups: []rdstypes.DBParameterGroupStatus{{DBParameterGroupName: aws.String(a.dbParameterGroup(db)), ParameterApplyStatus: aws.String("in-sync")}},
	}
	if eni := a.enis.get(db.eni); eni != nil {
		out.AvailabilityZone = aws.String(eni.az)
	}
	for _, g := range db.groups {
		out.VpcSecurityGroups = append(out.VpcSecurityGroups, rdstypes.VpcSecurityGroupMembership{VpcSecurityGroupId: aws.String(g), Status: aws.String("active")})
	}
	sg := &rdstypes.DBSubnetGroup{
		DBSubnetGroupName: aws.String(db.subnetGroup), DBSubnetGroupDescription: aws.String("subnets of " + db.id),
		VpcId: aws.String(db.vpc), SubnetGroupStatus: aws.String("Complete"),
		DBSubnetGroupArn: aws.String(a.arn("rds", a.region, "subgrp:"+db.subnetGroup)),
	}
	for _, s := range db.subnets {
		if sn := a.subnets.get(s); sn != nil {
			sg.Subnets = append(sg.Subnets, rdstypes.Subnet{
				SubnetIdentifier: aws.String(s), SubnetStatus: aws.String("Active"), SubnetAvailabilityZone: &rdstypes.AvailabilityZone{Name: aws.String(sn.az)},
			})
		}
	}
	out.DBSubnetGroup = sg
	return out
}

// dbParameterGroup names the instance's parameter group: the engine's
// default, or a custom one that forces TLS.
func (a *Account) dbParameterGroup(db *database) string {
	if db.requireSSL {
		return db.id + "-params"
	}
	major := db.version
	if i := strings.IndexByte(major, '.'); i > 0 && db.engine == "postgres" {
		major = major[:i]
	} else if parts := strings.Split(major, "."); len(parts) > 2 {
		major = parts[0] + "." + parts[1]
	}
	return "default." + db.engine + major
}

func (x *rdsAPI) DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, _ ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	a := x.a
	if err := a.enter(ctx, "rds:DescribeDBClusters", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	for _, f := range in.Filters {
		switch aws.ToString(f.Name) {
		case "db-cluster-id", "engine", "clone-group-id", "db-cluster-resource-id":
		default:
			return nil, apiError("InvalidParameterValue", "Unrecognized filter name: %s.", aws.ToString(f.Name))
		}
	}
	if id := aws.ToString(in.DBClusterIdentifier); id != "" {
		return nil, apiError("DBClusterNotFoundFault", "DBCluster %s not found.", id)
	}
	return &rds.DescribeDBClustersOutput{DBClusters: []rdstypes.DBCluster{}}, nil
}
