package motoworld

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
)

// features uses what no embedded scenario does yet: the VPC's main route
// table, the default and a custom network ACL, egress rules (prefix list
// "s3", NoEgress), KMS keys for a secret and a parameter, a private NAT
// gateway, DNS hostnames off and a task with no history logs group.
const features = `
name: features
world:
  vpcs:
    - {name: v, cidr: 10.0.0.0/16, dnsHostnames: false}
  subnets:
    - {name: a, vpc: v, az: us-east-1a, cidr: 10.0.1.0/24}
    - {name: b, vpc: v, az: us-east-1b, cidr: 10.0.2.0/24}
  natGateways:
    - {name: private-nat, subnet: a, private: true}
  routeTables:
    - name: main
      vpc: v
      main: true
      subnets: [a]
      routes:
        - {destination: 192.168.0.0/16, target: private-nat}
  networkAcls:
    - name: default
      vpc: v
      default: true
      entries:
        - {rule: 100, protocol: "-1", action: allow, cidr: 0.0.0.0/0}
        - {rule: 100, egress: true, protocol: tcp, fromPort: 443, toPort: 443, action: allow, cidr: 0.0.0.0/0}
    - name: strict
      vpc: v
      subnets: [b]
      entries:
        - {rule: 90, egress: true, protocol: tcp, fromPort: 443, toPort: 443, action: deny, cidr: 0.0.0.0/0}
  securityGroups:
    - name: task
      vpc: v
      egress:
        - {port: 443, prefixLists: [s3]}
        - {port: 443, groups: [endpoints]}
    - name: endpoints
      vpc: v
      noEgress: true
      ingress:
        - {port: 443, groups: [task]}
  kmsKeys:
    - {name: app}
  secrets:
    - {name: app/token, kmsKey: app}
  parameters:
    - {name: /app/url, type: String}
    - {name: /app/key, kmsKey: app}
  roles:
    - name: exec
      trustService: ecs-tasks.amazonaws.com
      inlinePolicies:
        read:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: ["ssm:GetParameters", "kms:Decrypt"], Resource: ["{{param:/app/key}}", "{{kms:app}}"]}
  taskDefinitions:
    - family: app
      executionRole: exec
      containers:
        - name: app
          image: public.ecr.aws/nginx/nginx:1.27
          essential: true
          secrets:
            - {name: KEY, valueFrom: "{{param:/app/key}}"}
            - {name: TOKEN, valueFrom: "{{secret:app/token}}"}
          log: {driver: awslogs, options: {awslogs-group: /ecs/missing, awslogs-region: us-east-1, awslogs-stream-prefix: app}}
  clusters:
    - name: c
      services:
        - name: app
          taskDefinition: app
          desiredCount: 1
          network: {subnets: [b], securityGroups: [task]}
          history:
            runningCount: 1
            tasks:
              - {lastStatus: RUNNING, logs: ["never written: the scenario has no /ecs/missing group"]}
`

func TestBuildFeatures(t *testing.T) {
	srv := moto.Shared(t)
	sc, err := scenario.Parse([]byte(features))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := srv.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	w, err := Build(ctx, srv, sc)
	if err != nil {
		t.Fatalf("%v\nharness stderr:\n%s", err, srv.Stderr())
	}
	v := &verifier{t: t, w: w, sc: sc, c: newClients(srv.Config(sc.Region))}
	v.network(ctx)
	v.securityGroups(ctx)
	v.iam(ctx)
	v.data(ctx)
	v.taskDefinitions(ctx)
	v.services(ctx)
	v.tasks(ctx)
	groups, err := v.c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/missing")})
	v.must(err, "DescribeLogGroups")
	if len(groups.LogGroups) != 0 {
		t.Errorf("Build created the log group the scenario lacks")
	}
}
