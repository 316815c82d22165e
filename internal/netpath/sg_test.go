package netpath

import (
	"reflect"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

func TestRuleAllowsTCP(t *testing.T) {
	cases := []struct {
		rule facts.SGRule
		port int32
		want bool
	}{
		{facts.SGRule{Protocol: "-1", FromPort: -1, ToPort: -1}, 443, true},
		{facts.SGRule{Protocol: "-1", FromPort: 80, ToPort: 80}, 443, true}, // ports ignored for all protocols
		{facts.SGRule{Protocol: "tcp", FromPort: 443, ToPort: 443}, 443, true},
		{facts.SGRule{Protocol: "TCP", FromPort: 0, ToPort: 65535}, 443, true},
		{facts.SGRule{Protocol: "6", FromPort: 400, ToPort: 500}, 443, true},
		{facts.SGRule{Protocol: "tcp", FromPort: 444, ToPort: 500}, 443, false},
		{facts.SGRule{Protocol: "tcp", FromPort: 80, ToPort: 80}, 443, false},
		{facts.SGRule{Protocol: "udp", FromPort: 0, ToPort: 65535}, 443, false},
		{facts.SGRule{Protocol: "17", FromPort: 443, ToPort: 443}, 443, false},
		{facts.SGRule{Protocol: "icmp", FromPort: -1, ToPort: -1}, 443, false},
		{facts.SGRule{Protocol: "tcp", FromPort: 5432, ToPort: 5432}, 5432, true},
	}
	for _, c := range cases {
		if got := ruleAllowsTCP(c.rule, c.port); got != c.want {
			t.Errorf("ruleAllowsTCP(%+v, %d) = %v", c.rule, c.port, got)
		}
	}
}

func TestIngressRulesAdmitting(t *testing.T) {
	n := world(func(n *facts.Network) {
		n.PrefixLists = append(n.PrefixLists, facts.PrefixList{ID: "pl-corp", Name: "corp", CIDRs: []string{"10.0.0.0/20"}})
	})
	task := privateTask() // subnet-a 10.0.1.0/24, 10.0.1.25, sg-task
	cases := []struct {
		name  string
		rules []facts.SGRule
		task  TaskNet
		want  []int
	}{
		{"group reference", []facts.SGRule{tcp(443, 443, nil, "sg-task")}, task, []int{0}},
		{"another group only (the seed's second service)", []facts.SGRule{tcp(443, 443, nil, "sg-auth")}, task, []int{}},
		{"all traffic from the group", []facts.SGRule{{Protocol: "-1", Groups: []string{"sg-task"}}}, task, []int{0}},
		{"wrong port", []facts.SGRule{tcp(80, 80, nil, "sg-task")}, task, []int{}},
		{"VPC CIDR", []facts.SGRule{tcp(80, 80, nil, "sg-task"), tcp(443, 443, []string{"10.0.0.0/16"})}, task, []int{1}},
		{"CIDR of another subnet", []facts.SGRule{tcp(443, 443, []string{"10.0.2.0/24"})}, task, []int{}},
		{"malformed CIDR ignored", []facts.SGRule{tcp(443, 443, []string{"10.0.0.0/99", "banana"})}, task, []int{}},
		{"IPv6 only ignored", []facts.SGRule{{Protocol: "tcp", FromPort: 443, ToPort: 443, IPv6CIDRs: []string{"::/0"}}}, task, []int{}},
		{"prefix list covering the subnet", []facts.SGRule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-corp"}}}, task, []int{0}},
		{"unknown prefix list", []facts.SGRule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-nope"}}}, task, []int{}},
		{"halves together", []facts.SGRule{tcp(443, 443, []string{"10.0.1.0/25"}), tcp(443, 443, []string{"10.0.1.128/25"})},
			TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}}, []int{0, 1}},
		{"half without the task IP", []facts.SGRule{tcp(443, 443, []string{"10.0.1.128/25"})}, task, []int{}},
		{"the task's /32", []facts.SGRule{tcp(443, 443, []string{"10.0.1.25/32"})}, task, []int{0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sg := &facts.SecurityGroup{ID: "sg-ep", Ingress: c.rules}
			got := IngressRulesAdmitting(sg, c.task, n, 443)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	if IngressRulesAdmitting(nil, task, n, 443) != nil {
		t.Error("nil group admits")
	}
}

func TestEgressRulesAllowing(t *testing.T) {
	sg := func(id string, rules ...facts.SGRule) *facts.SecurityGroup {
		return &facts.SecurityGroup{ID: id, Egress: rules}
	}
	all := facts.SGRule{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}
	pl := facts.SGRule{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-s3"}}
	s3 := Destination{CIDRs: []string{"52.216.0.0/15", "3.5.0.0/19"}, PrefixList: "pl-s3"}
	internet := Destination{CIDRs: []string{"0.0.0.0/0"}}
	endpoint := Destination{CIDRs: []string{"10.0.10.0/24"}, Groups: []string{"sg-ep"}}
	cases := []struct {
		name string
		sgs  []*facts.SecurityGroup
		to   Destination
		want []RuleRef
	}{
		{"default egress reaches the internet", []*facts.SecurityGroup{sg("a", all)}, internet, []RuleRef{{"a", 0}}},
		{"no rules", []*facts.SecurityGroup{sg("a")}, internet, nil},
		{"port 80 only", []*facts.SecurityGroup{sg("a", tcp(80, 80, []string{"0.0.0.0/0"}))}, internet, nil},
		{"VPC CIDR does not reach the internet", []*facts.SecurityGroup{sg("a", tcp(443, 443, []string{"10.0.0.0/16"}))}, internet, nil},
		{"VPC CIDR reaches the endpoint", []*facts.SecurityGroup{sg("a", tcp(443, 443, []string{"10.0.0.0/16"}))}, endpoint, []RuleRef{{"a", 0}}},
		{"group reference reaches the endpoint", []*facts.SecurityGroup{sg("a", tcp(443, 443, nil, "sg-ep"))}, endpoint, []RuleRef{{"a", 0}}},
		{"other group does not", []*facts.SecurityGroup{sg("a", tcp(443, 443, nil, "sg-db"))}, endpoint, nil},
		{"union of the task's groups", []*facts.SecurityGroup{sg("a", tcp(80, 80, []string{"0.0.0.0/0"})), sg("b", all)}, internet, []RuleRef{{"b", 0}}},
		{"prefix list id", []*facts.SecurityGroup{sg("a", pl)}, s3, []RuleRef{{"a", 0}}},
		{"prefix list id does not reach the internet", []*facts.SecurityGroup{sg("a", pl)}, internet, nil},
		{"CIDRs covering every prefix list CIDR", []*facts.SecurityGroup{sg("a", tcp(443, 443, []string{"52.0.0.0/8", "3.0.0.0/8"}))}, s3, []RuleRef{{"a", 0}}},
		{"CIDRs covering one of them", []*facts.SecurityGroup{sg("a", tcp(443, 443, []string{"52.0.0.0/8"}))}, s3, nil},
		{"two rules covering them together", []*facts.SecurityGroup{sg("a", tcp(443, 443, []string{"52.0.0.0/8"})), sg("b", tcp(443, 443, []string{"3.0.0.0/8"}))}, s3, []RuleRef{{"a", 0}, {"b", 0}}},
		{"halves of the internet", []*facts.SecurityGroup{sg("a", tcp(443, 443, []string{"0.0.0.0/1"}), tcp(0, 65535, []string{"128.0.0.0/1"}))}, internet, []RuleRef{{"a", 0}, {"a", 1}}},
		{"malformed destination", []*facts.SecurityGroup{sg("a", all)}, Destination{CIDRs: []string{"nope"}}, nil},
		{"nil group skipped", []*facts.SecurityGroup{nil, sg("a", all)}, internet, []RuleRef{{"a", 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := EgressRulesAllowing(c.sgs, c.to, 443)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
