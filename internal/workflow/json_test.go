package workflow

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// The JSON output is a contract (contract.md, "JSON output"): field names,
// types, arrays that are never null, and the fix rules.

func marshalDiagnosis(t *testing.T, f *facts.Facts) map[string]any {
	t.Helper()
	b, err := json.Marshal(Diagnose(f))
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return m
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// field checks that m has key with a value of the JSON type kind
// ("string", "number", "bool", "array", "object") and returns the value.
func field(t *testing.T, where string, m map[string]any, key, kind string) any {
	t.Helper()
	v, ok := m[key]
	if !ok {
		t.Errorf("%s: no field %q (have %v)", where, key, keysOf(m))
		return nil
	}
	got := "null"
	switch v.(type) {
	case string:
		got = "string"
	case float64:
		got = "number"
	case bool:
		got = "bool"
	case []any:
		got = "array"
	case map[string]any:
		got = "object"
	}
	if got != kind {
		t.Errorf("%s.%s is %s (%v), want %s", where, key, got, v, kind)
	}
	return v
}

func TestJSONContractShape(t *testing.T) {
	worlds := map[string]*facts.Facts{
		"seed 000":                 newFacts(noNAT(), taskFailedToStart(reasonRegistryAuth)),
		"seed 002 challenge 3":     newFacts(withSecret(tSecret), dropInlinePolicies(), unattachedPolicy("TaskManagementSecretsAccess", secretsPolicyDoc), privateEndpoints(), taskFailedToStart(reasonSecretsDenied)),
		"seed 002 challenge 5":     newFacts(privateEndpoints(), sgMod("sg-auth", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcpFrom(443, nil, "sg-auth")} }), sgMod(tTaskSG, func(sg *facts.SecurityGroup) { sg.Ingress = append(sg.Ingress, tcpFrom(443, nil, tTaskSG)) }), endpointsGroups("sg-auth")),
		"healthy":                  newFacts(),
		"nothing fetched yet":      {Target: facts.Target{Account: tAccount, Region: tRegion, Cluster: tCluster, Service: tService}},
		"endpoints fetch failed":   newFacts(fetchFailed(facts.KeyEndpoints, "ec2:DescribeVpcEndpoints", "AccessDenied")),
		"health check, node image": newFacts(image("node:18-alpine"), healthCheck(60, "CMD-SHELL", "curl -f http://localhost:3000/health || exit 1")),
	}
	for name, f := range worlds {
		t.Run(name, func(t *testing.T) {
			m := marshalDiagnosis(t, f)
			if v := field(t, "", m, "schemaVersion", "number"); v != float64(1) {
				t.Errorf("schemaVersion = %v, want 1", v)
			}
			field(t, "", m, "apiCalls", "number")
			if tg, ok := field(t, "", m, "target", "object").(map[string]any); ok {
				for _, k := range []string{"account", "region", "cluster"} {
					field(t, "target", tg, k, "string")
				}
				if f.Service != nil {
					if v := field(t, "target", tg, "service", "string"); v != tService {
						t.Errorf("target.service = %v", v)
					}
				}
				if f.ChosenTaskARN != "" {
					if v := field(t, "target", tg, "task", "string"); v != f.ChosenTaskARN {
						t.Errorf("target.task = %v, want the chosen task %s", v, f.ChosenTaskARN)
					}
				}
				if tg["account"] != tAccount || tg["region"] != tRegion || tg["cluster"] != tCluster {
					t.Errorf("target = %v", tg)
				}
			}
			steps, _ := field(t, "", m, "steps", "array").([]any)
			if len(steps) != 7 {
				t.Fatalf("%d steps, want 7", len(steps))
			}
			for i, s := range steps {
				sm := s.(map[string]any)
				where := "steps[" + sm["id"].(string) + "]"
				if sm["id"] != string(stepOrder[i]) || sm["n"] != float64(i+1) {
					t.Errorf("%s: id %v n %v, want %s %d", where, sm["id"], sm["n"], stepOrder[i], i+1)
				}
				field(t, where, sm, "title", "string")
				field(t, where, sm, "status", "string")
				for _, id := range field(t, where, sm, "findings", "array").([]any) {
					if _, ok := id.(string); !ok {
						t.Errorf("%s.findings holds %v, want finding ids", where, id)
					}
				}
			}
			findings, _ := field(t, "", m, "findings", "array").([]any)
			seenFix := map[string]string{}
			for _, fi := range findings {
				fm := fi.(map[string]any)
				where := "findings[" + fm["id"].(string) + "]"
				for _, k := range []string{"id", "severity", "step", "title", "detail"} {
					field(t, where, fm, k, "string")
				}
				for _, r := range field(t, where, fm, "resources", "array").([]any) {
					if _, ok := r.(string); !ok {
						t.Errorf("%s.resources holds %v", where, r)
					}
				}
				for k, v := range field(t, where, fm, "attrs", "object").(map[string]any) {
					if _, ok := v.(string); !ok {
						t.Errorf("%s.attrs.%s = %v, want a string", where, k, v)
					}
				}
				for j, fx := range field(t, where, fm, "fixes", "array").([]any) {
					xm := fx.(map[string]any)
					fw := where + ".fixes[" + xm["id"].(string) + "]"
					for _, k := range []string{"id", "kind", "title"} {
						field(t, fw, xm, k, "string")
					}
					field(t, fw, xm, "mutates", "bool")
					if rec := field(t, fw, xm, "recommended", "bool"); rec != (j == 0) {
						t.Errorf("%s: recommended = %v, want %v (the first fix, and only it)", fw, rec, j == 0)
					}
					if _, ok := xm["monthlyCostUSD"]; ok {
						field(t, fw, xm, "monthlyCostUSD", "number")
					}
					cli := field(t, fw, xm, "cli", "array").([]any)
					if xm["mutates"] == true && len(cli) == 0 {
						t.Errorf("%s: mutates AWS but shows no CLI command", fw)
					}
					for _, c := range cli {
						if s, ok := c.(string); !ok || !strings.HasPrefix(strings.TrimPrefix(s, "ENDPOINT_SG=$("), "aws ") {
							t.Errorf("%s: cli entry %v is not an AWS CLI command", fw, c)
						}
					}
					if kind, _, _ := strings.Cut(xm["id"].(string), ":"); kind != xm["kind"] {
						t.Errorf("%s: id is not kind:qualifier", fw)
					}
					b, _ := json.Marshal(xm["cli"])
					if prev, ok := seenFix[xm["id"].(string)]; ok && prev != string(b) {
						t.Errorf("%s: the same fix id names different commands", fw)
					}
					seenFix[xm["id"].(string)] = string(b)
					if _, ok := xm["Plan"]; ok {
						t.Errorf("%s: the plan leaks into the JSON", fw)
					}
				}
			}
		})
	}
}

// The contract's example: endpoint.missing for logs with its
// create-interface-endpoint fix, as JSON.
func TestJSONEndpointMissingExample(t *testing.T) {
	m := marshalDiagnosis(t, newFacts(withSecret(tSecret), privateEndpoints(), dropEndpoint("logs"), taskFailedToStart(reasonLogsInit)))
	var got map[string]any
	for _, fi := range m["findings"].([]any) {
		if fm := fi.(map[string]any); fm["id"] == "endpoint.missing" {
			got = fm
		}
	}
	if got == nil {
		t.Fatalf("no endpoint.missing finding")
	}
	if got["severity"] != "error" || got["step"] != "endpoints" || !reflect.DeepEqual(got["attrs"], map[string]any{"service": "logs"}) {
		t.Errorf("finding = %v", got)
	}
	if !strings.Contains(got["title"].(string), "CloudWatch Logs (logs)") {
		t.Errorf("title %q does not name the service", got["title"])
	}
	res := got["resources"].([]any)
	for _, want := range []string{tVPC, tSubnetA, tSubnetB, tRTPriv} {
		found := false
		for _, r := range res {
			found = found || r == want
		}
		if !found {
			t.Errorf("resources %v lack %s", res, want)
		}
	}
	fx := got["fixes"].([]any)[0].(map[string]any)
	want := map[string]any{"id": "create-interface-endpoint:logs", "kind": "create-interface-endpoint", "recommended": true, "mutates": true, "monthlyCostUSD": 14.6}
	for k, v := range want {
		if fx[k] != v {
			t.Errorf("fix.%s = %v, want %v", k, fx[k], v)
		}
	}
	if !strings.Contains(fx["title"].(string), "subnet-0a, subnet-0b") {
		t.Errorf("fix title %q does not name the subnets", fx["title"])
	}
	// The step lists the finding by id.
	for _, s := range m["steps"].([]any) {
		if sm := s.(map[string]any); sm["id"] == "endpoints" && !reflect.DeepEqual(sm["findings"], []any{"endpoint.missing"}) {
			t.Errorf("endpoints step findings = %v", sm["findings"])
		}
	}
}

// Arrays are [] and maps {} in the JSON, never null, even when empty.
func TestJSONNeverNull(t *testing.T) {
	for name, f := range map[string]*facts.Facts{
		"healthy":             newFacts(),
		"nothing fetched yet": {},
	} {
		b, err := json.Marshal(Diagnose(f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "null") {
			t.Errorf("%s: JSON holds null: %s", name, b)
		}
	}
}
