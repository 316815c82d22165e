package facts

import (
	"reflect"
	"testing"
)

func TestParseImage(t *testing.T) {
	cases := []struct {
		ref  string
		want Image
	}{
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:v1.0.1", Image{Registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com", Repository: "team/app", Tag: "v1.0.1", ECR: true, RegistryID: "123456789012", Region: "us-east-1"}},
		{"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc", Image{Registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", Repository: "app", Digest: "sha256:abc", ECR: true, RegistryID: "123456789012", Region: "eu-west-1"}},
		{"node:18-alpine", Image{Repository: "node", Tag: "18-alpine"}},
		{"nginx", Image{Repository: "nginx", Tag: "latest"}},
		{"public.ecr.aws/nginx/nginx:1.25", Image{Registry: "public.ecr.aws", Repository: "nginx/nginx", Tag: "1.25"}},
		{"localhost:5000/app", Image{Registry: "localhost:5000", Repository: "app", Tag: "latest"}},
		{"ghcr.io/org/app:sha-1", Image{Registry: "ghcr.io", Repository: "org/app", Tag: "sha-1"}},
	}
	for _, c := range cases {
		got := ParseImage(c.ref)
		c.want.Ref = c.ref
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseImage(%q)\n got %+v\nwant %+v", c.ref, got, c.want)
		}
	}
	if arn := ParseImage(cases[0].ref).ECRRepositoryARN(); arn != "arn:aws:ecr:us-east-1:123456789012:repository/team/app" {
		t.Errorf("repository ARN %s", arn)
	}
}

func TestSecretAndParameterRefs(t *testing.T) {
	full := "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-aAhHLW"
	if got := SecretID(full + ":password::"); got != full {
		t.Errorf("SecretID stripped wrong: %s", got)
	}
	if got := SecretID(full); got != full {
		t.Errorf("SecretID of a plain ARN: %s", got)
	}
	if ClassifyValueFrom(full) != RefSecret || ClassifyValueFrom("/app/db") != RefParameter || ClassifyValueFrom("arn:aws:ssm:us-east-1:1:parameter/x") != RefParameter {
		t.Error("ClassifyValueFrom")
	}
	for in, want := range map[string][]string{
		"arn:aws:ssm:us-east-1:1:parameter/app/db/password": {"/app/db/password"},
		"arn:aws:ssm:us-east-1:1:parameter/token":           {"token", "/token"},
		"/app/x": {"/app/x"},
		"plain":  {"plain"},
	} {
		if got := ParameterNameCandidates(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ParameterNameCandidates(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestDatabaseRefs(t *testing.T) {
	td := &TaskDefinition{Containers: []ContainerDefinition{{Name: "app", Environment: []KeyValue{
		{Name: "DB_HOST", Value: "tasks-db.c9akciq32.us-east-1.rds.amazonaws.com"},
		{Name: "DATABASE_URL", Value: "postgres://u@orders.cluster-ro-abc123.eu-west-1.rds.amazonaws.com:6432/db"},
		{Name: "OTHER", Value: "example.com"},
	}}}}
	refs := DatabaseRefs(td)
	if len(refs) != 2 {
		t.Fatalf("refs %+v", refs)
	}
	if refs[0].ID != "tasks-db" || refs[0].Cluster || refs[0].Variable != "DB_HOST" || refs[0].Port != 0 {
		t.Errorf("instance ref %+v", refs[0])
	}
	if refs[1].ID != "orders" || !refs[1].Cluster || refs[1].Port != 6432 {
		t.Errorf("cluster ref %+v", refs[1])
	}
}

func TestChooseTaskPrefersFailures(t *testing.T) {
	tasks := []Task{
		{ARN: "a", LastStatus: "STOPPED", StopCode: "ServiceSchedulerInitiated", StoppedReason: "Scaling activity initiated by (deployment ecs-svc/1)"},
		{ARN: "b", LastStatus: "RUNNING"},
		{ARN: "c", LastStatus: "STOPPED", StopCode: "TaskFailedToStart", StoppedReason: "ResourceInitializationError: ..."},
	}
	if got := ChooseTask(tasks, ""); got != "c" {
		t.Errorf("want the failed task c, got %s", got)
	}
	if got := ChooseTask(tasks[:2], ""); got != "b" {
		t.Errorf("want the running task b when no failure, got %s", got)
	}
	if got := ChooseTask(tasks, "a"); got != "a" {
		t.Errorf("a named task wins, got %s", got)
	}
	if !RoutineStop(tasks[0]) || RoutineStop(Task{StopCode: "ServiceSchedulerInitiated", StoppedReason: "Task failed container health checks"}) {
		t.Error("RoutineStop")
	}
}

func TestNetworkLookups(t *testing.T) {
	n := &Network{
		Subnets:     []Subnet{{ID: "s1", VPCID: "v"}, {ID: "s2", VPCID: "v"}},
		RouteTables: []RouteTable{{ID: "main", VPCID: "v", Main: true}, {ID: "rt1", VPCID: "v", Subnets: []string{"s1"}}},
		NetworkACLs: []NetworkACL{{ID: "def", VPCID: "v", Default: true}, {ID: "acl1", VPCID: "v", Subnets: []string{"s2"}}},
	}
	if n.RouteTableFor("s1").ID != "rt1" || n.RouteTableFor("s2").ID != "main" {
		t.Error("RouteTableFor must use the explicit association, else the main table")
	}
	if n.NetworkACLFor("s2").ID != "acl1" || n.NetworkACLFor("s1").ID != "def" {
		t.Error("NetworkACLFor must use the association, else the default ACL")
	}
}
