package iampolicy

import (
	"reflect"
	"testing"
)

const ecsTasks = "ecs-tasks.amazonaws.com"

func TestTrustsService(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		service  string
		want     Decision
		deciding []StatementRef
	}{
		{
			name: "standard ECS trust, URL-encoded as IAM returns it",
			doc:  ecsTrustEncoded, service: ecsTasks,
			want:     Allowed,
			deciding: []StatementRef{ref(trustSource, 0, "", "Allow")},
		},
		{
			name: "service name compared case-insensitively",
			doc:  ecsTrustEncoded, service: "ECS-Tasks.amazonaws.com",
			want:     Allowed,
			deciding: []StatementRef{ref(trustSource, 0, "", "Allow")},
		},
		{
			name: "another service is not trusted",
			doc:  ecsTrustEncoded, service: "lambda.amazonaws.com",
			want: ImplicitDeny,
		},
		{
			name:    "trusts ECS (the service), not ECS tasks",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    ImplicitDeny,
		},
		{
			name:    "one of several services",
			doc:     `{"Statement":[{"Sid":"S","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","ecs-tasks.amazonaws.com"]},"Action":["sts:AssumeRole","sts:TagSession"]}]}`,
			service: ecsTasks,
			want:    Allowed, deciding: []StatementRef{ref(trustSource, 0, "S", "Allow")},
		},
		{
			name:    "wrong action",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`,
			service: ecsTasks,
			want:    ImplicitDeny,
		},
		{
			name:    "wildcard action",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:*"}]}`,
			service: ecsTasks,
			want:    Allowed, deciding: []StatementRef{ref(trustSource, 0, "", "Allow")},
		},
		{
			name:    "confused-deputy condition: conditional",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"211125602758"}}}]}`,
			service: ecsTasks,
			want:    Conditional, deciding: []StatementRef{ref(trustSource, 0, "", "Allow")},
		},
		{
			name: "unconditional allow next to a conditional one",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}},
				{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    Allowed, deciding: []StatementRef{ref(trustSource, 1, "", "Allow")},
		},
		{
			name:    "principal *",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    Allowed, deciding: []StatementRef{ref(trustSource, 0, "", "Allow")},
		},
		{
			name:    "AWS principal *",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    Allowed, deciding: []StatementRef{ref(trustSource, 0, "", "Allow")},
		},
		{
			name:    "an account principal is not the service",
			doc:     `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::211125602758:root"},"Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    ImplicitDeny,
		},
		{
			name: "explicit deny of the service",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"},
				{"Sid":"No","Effect":"Deny","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:*"}]}`,
			service: ecsTasks,
			want:    ExplicitDeny, deciding: []StatementRef{ref(trustSource, 1, "No", "Deny")},
		},
		{
			name:    "NotPrincipal excluding the service",
			doc:     `{"Statement":[{"Effect":"Allow","NotPrincipal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    ImplicitDeny,
		},
		{
			name:    "no principal: an Allow trusts no one",
			doc:     `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`,
			service: ecsTasks,
			want:    ImplicitDeny,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TrustsService(mustParse(t, tt.doc), tt.service)
			want := Verdict{Decision: tt.want, Deciding: tt.deciding}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("TrustsService(%s)\n got %+v\nwant %+v", tt.service, got, want)
			}
		})
	}
	if v := TrustsService(nil, ecsTasks); v.Decision != ImplicitDeny {
		t.Errorf("nil trust policy: %+v", v)
	}
}
