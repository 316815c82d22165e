package awsx

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// fetchDatabases describes the RDS instances and clusters whose endpoints
// the containers' environment names, one filtered call for each kind.
func (st *gathering) fetchDatabases(ctx context.Context, refs []facts.DatabaseRef) ([]facts.Database, error) {
	var instanceIDs, clusterIDs []string
	for _, r := range refs {
		if r.Cluster {
			clusterIDs = append(clusterIDs, r.ID)
		} else {
			instanceIDs = append(instanceIDs, r.ID)
		}
	}
	byID := map[string]facts.Database{}
	var instances []rdstypes.DBInstance
	var clusters []rdstypes.DBCluster
	eg, gctx := errgroup.WithContext(ctx)
	if len(instanceIDs) > 0 {
		eg.Go(func() error {
			p := rds.NewDescribeDBInstancesPaginator(st.g.R.RDS, &rds.DescribeDBInstancesInput{
				Filters: []rdstypes.Filter{{Name: aws.String("db-instance-id"), Values: dedupe(instanceIDs)}},
			})
			for p.HasMorePages() {
				page, err := p.NextPage(gctx)
				if err != nil {
					return err
				}
				instances = append(instances, page.DBInstances...)
			}
			return nil
		})
	}
	if len(clusterIDs) > 0 {
		eg.Go(func() error {
			p := rds.NewDescribeDBClustersPaginator(st.g.R.RDS, &rds.DescribeDBClustersInput{
				Filters: []rdstypes.Filter{{Name: aws.String("db-cluster-id"), Values: dedupe(clusterIDs)}},
			})
			for p.HasMorePages() {
				page, err := p.NextPage(gctx)
				if err != nil {
					return err
				}
				clusters = append(clusters, page.DBClusters...)
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	for _, in := range instances {
		db := facts.Database{
			ID:     aws.ToString(in.DBInstanceIdentifier),
			ARN:    aws.ToString(in.DBInstanceArn),
			Engine: aws.ToString(in.Engine),
			Status: aws.ToString(in.DBInstanceStatus),
			Found:  true,
		}
		if in.Endpoint != nil {
			db.Endpoint = aws.ToString(in.Endpoint.Address)
			db.Port = aws.ToInt32(in.Endpoint.Port)
		}
		for _, g := range in.VpcSecurityGroups {
			db.SecurityGroups = append(db.SecurityGroups, aws.ToString(g.VpcSecurityGroupId))
		}
		if in.DBSubnetGroup != nil {
			db.VPCID = aws.ToString(in.DBSubnetGroup.VpcId)
		}
		byID[db.ID] = db
	}
	for _, c := range clusters {
		db := facts.Database{
			ID:       aws.ToString(c.DBClusterIdentifier),
			ARN:      aws.ToString(c.DBClusterArn),
			Engine:   aws.ToString(c.Engine),
			Status:   aws.ToString(c.Status),
			Endpoint: aws.ToString(c.Endpoint),
			Port:     aws.ToInt32(c.Port),
			Cluster:  true,
			Found:    true,
		}
		for _, g := range c.VpcSecurityGroups {
			db.SecurityGroups = append(db.SecurityGroups, aws.ToString(g.VpcSecurityGroupId))
		}
		byID["cluster:"+db.ID] = db
	}
	var out []facts.Database
	for _, r := range refs {
		key := r.ID
		if r.Cluster {
			key = "cluster:" + r.ID
		}
		db, ok := byID[key]
		if !ok {
			db = facts.Database{ID: r.ID, Endpoint: r.Host, Port: r.Port, Cluster: r.Cluster}
		}
		db.ReferencedBy = r.Variable
		if r.Port != 0 && db.Port == 0 {
			db.Port = r.Port
		}
		out = append(out, db)
	}
	return out, nil
}
