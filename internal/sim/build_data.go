package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// ecsTaskExecutionPolicyARN is the AWS managed policy most execution roles
// carry. Its document is AWS's own (version v1).
const ecsTaskExecutionPolicyARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

const ecsTaskExecutionPolicyDoc = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "logs:CreateLogStream",
                "logs:PutLogEvents"
            ],
            "Resource": "*"
        }
    ]
}`

// addManagedPolicies puts the AWS managed policies the scenarios use into
// the account (AWS managed policies exist in every account).
func (a *Account) addManagedPolicies() {
	created := time.Date(2017, 11, 16, 18, 48, 22, 0, time.UTC)
	a.policies.put(ecsTaskExecutionPolicyARN, &managedPolicy{
		arn: ecsTaskExecutionPolicyARN, name: "AmazonECSTaskExecutionRolePolicy", id: "ANPAJG4T4G4PV56DE72PY",
		path: "/service-role/", desc: "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
		doc: ecsTaskExecutionPolicyDoc, awsManaged: true, version: 1, created: created, updated: created,
	})
}

// addPrefixLists adds the region's S3 managed prefix list, which security
// group rules and gateway endpoint routes refer to. us-east-1's id and
// blocks are AWS's; other regions get stable made-up ones.
func (a *Account) addPrefixLists() {
	id := "pl-63a5400a"
	cidrs := []string{"3.5.0.0/19", "16.15.176.0/20", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21", "52.216.0.0/15", "54.231.0.0/16"}
	if a.region != "us-east-1" {
		id = a.ec2ID("pl", a.region, "s3")
		id = "pl-" + id[len("pl-0"):len("pl-0")+8]
	}
	a.prefixLists.put(id, &prefixList{id: id, name: "com.amazonaws." + a.region + ".s3", cidrs: cidrs})
}

// s3PrefixList is the region's S3 prefix list.
func (a *Account) s3PrefixList() *prefixList {
	for _, pl := range a.prefixLists.list() {
		if strings.HasSuffix(pl.name, ".s3") {
			return pl
		}
	}
	return nil
}

func (a *Account) buildKMSKeys(w *world) error {
	for _, k := range w.sc.World.KMSKeys {
		alias := "alias/" + w.qualify("kms", k.Name)
		id := a.uuid("kms", w.sc.Name, k.Name)
		if a.opts.Replay && looksLikeKeyID(k.Name) {
			id = k.Name // a snapshot names keys by their ids
		}
		x := &kmsKey{id: id, arn: a.arn("kms", a.region, "key/"+id), alias: alias, desc: k.Name, manager: "CUSTOMER", created: a.clock}
		a.keys.put(id, x)
		w.ids["kms:"+k.Name] = x.arn
	}
	return nil
}

// awsManagedKey returns (creating on first use, as AWS does) the AWS
// managed key of a service, such as alias/aws/secretsmanager.
func (a *Account) awsManagedKey(alias string) *kmsKey {
	for _, k := range a.keys.list() {
		if k.alias == alias {
			return k
		}
	}
	id := a.uuid("kms", "aws-managed", alias)
	k := &kmsKey{id: id, arn: a.arn("kms", a.region, "key/"+id), alias: alias, manager: "AWS",
		desc: "Default key that protects my " + strings.TrimPrefix(alias, "alias/aws/") + " data when no other key is defined", created: a.clock}
	a.keys.put(id, k)
	return k
}

func (a *Account) buildSecrets(w *world) error {
	for _, s := range w.sc.World.Secrets {
		name := w.qualify("secret", s.Name)
		x := &secret{name: name, version: a.uuid("secret-version", w.sc.Name, s.Name), created: a.clock}
		x.arn = a.arn("secretsmanager", a.region, "secret:"+name+"-"+a.alnumID(alnum, 6, "secret", w.sc.Name, s.Name))
		if a.opts.Replay && s.ARN != "" {
			x.arn = s.ARN // a snapshot keeps the secret's real ARN, suffix and all
		}
		if s.KMSKey != "" {
			key, err := w.id("kms", s.KMSKey)
			if err != nil {
				return err
			}
			x.kmsKey = key
		}
		a.secrets.put(x.arn, x)
		w.ids["secret:"+s.Name] = x.arn
	}
	return nil
}

func (a *Account) buildParameters(w *world) error {
	for _, p := range w.sc.World.Parameters {
		name := w.qualify("param", p.Name)
		x := &parameter{name: name, typ: orDefault(p.Type, "SecureString"), modified: a.clock}
		x.arn = facts.ParameterARN(a.region, a.account, name)
		switch {
		case p.KMSKey != "":
			key, err := w.id("kms", p.KMSKey)
			if err != nil {
				return err
			}
			x.keyID = key
		case x.typ == "SecureString":
			x.keyID = "alias/aws/ssm"
		}
		a.params.put(name, x)
		w.ids["param:"+p.Name] = x.arn
	}
	return nil
}

func (a *Account) buildLogGroups(w *world) error {
	for _, g := range w.sc.World.LogGroups {
		name := w.qualify("loggroup", g.Name)
		a.groups.put(name, &logGroup{name: name, created: a.clock})
	}
	return nil
}

func (a *Account) buildRepositories(w *world) error {
	for _, r := range w.sc.World.Repositories {
		name := w.qualify("repo", r.Name)
		x := &repository{name: name, arn: a.arn("ecr", a.region, "repository/"+name), uri: a.registryHost() + "/" + name, created: a.clock}
		for i, img := range r.Images {
			h := hashOf("image-size", name, img.Tag)
			x.images = append(x.images, &image{
				tags: []string{img.Tag}, digest: digest("image", name, img.Tag), base: img.Base,
				platform: orDefault(img.Platform, "linux/amd64"), tools: img.Tools,
				size:   int64(40_000_000 + int(h[0])<<20 + int(h[1])<<12),
				pushed: a.clock.Add(time.Duration(i) * time.Hour),
			})
		}
		a.repos.put(name, x)
	}
	return nil
}

// engines holds what an RDS engine needs that the scenario leaves implicit.
var engines = map[string]struct {
	port    int32
	version string
}{
	"postgres": {5432, "16.4"},
	"mysql":    {3306, "8.0.39"},
	"mariadb":  {3306, "10.11.9"},
}

func (a *Account) buildDatabases(w *world) error {
	for _, d := range w.sc.World.Databases {
		engine := orDefault(d.Engine, "postgres")
		eng, ok := engines[engine]
		if !ok {
			return fmt.Errorf("database %s: engine %q is not one of postgres, mysql, mariadb", d.Name, engine)
		}
		subnets, err := w.idList("subnet", d.Subnets)
		if err != nil {
			return err
		}
		if len(subnets) == 0 && a.opts.Replay {
			// A snapshot knows a database's groups, not its subnets: place it
			// in the VPC of its first group.
			subnets = a.subnetsOfGroupVPC(w, d.SecurityGroups)
		}
		if len(subnets) == 0 {
			return fmt.Errorf("database %s: no subnets", d.Name)
		}
		groups, err := w.idList("sg", d.SecurityGroups)
		if err != nil {
			return err
		}
		id := strings.ToLower(w.qualify("db", d.Name))
		x := &database{
			id: id, arn: a.arn("rds", a.region, "db:"+id), owner: w.sc.Name, engine: engine, version: eng.version,
			port: d.Port, subnets: subnets, groups: groups, requireSSL: d.RequireSSL, subnetGroup: id + "-subnets",
			user: "postgres", created: a.clock,
		}
		if x.port == 0 {
			x.port = eng.port
		}
		if engine != "postgres" {
			x.user = "admin"
		}
		x.address = id + "." + a.rdsToken() + "." + a.region + ".rds.amazonaws.com"
		x.resourceID = "db-" + a.alnumID("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 26, "db", w.sc.Name, d.Name)
		// The instance lives in one of its subnets.
		h := hashOf("db-subnet", id)
		sn := a.subnets.get(subnets[int(h[0])%len(subnets)])
		x.vpc = sn.vpc
		ip, err := allocIP(sn, "db", id)
		if err != nil {
			return fmt.Errorf("database %s: %w", d.Name, err)
		}
		x.ip = ip
		eni := &networkInterface{
			id: a.ec2ID("eni", "db", id), owner: w.sc.Name, vpc: sn.vpc, subnet: sn.id, az: sn.az, ip: ip,
			kind: "interface", desc: "RDSNetworkInterface", requester: "amazon-rds", groups: groups,
		}
		eni.mac = macOf(eni.id)
		a.enis.put(eni.id, eni)
		x.eni = eni.id
		a.dbs.put(id, x)
		w.ids["db:"+d.Name] = x.address
	}
	return nil
}

// rdsToken is the account-and-region part of every RDS endpoint address
// (mydb.c9akciq32.us-east-1.rds.amazonaws.com).
func (a *Account) rdsToken() string {
	h := hashOf("rds", a.account, a.region)
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, 12)
	for i := range out {
		out[i] = chars[int(h[i])%len(chars)]
	}
	out[0] = 'c'
	return string(out)
}

func (a *Account) buildPolicies(w *world) error {
	for _, p := range w.sc.World.Policies {
		name := w.qualify("policy", p.Name)
		doc := a.resolve(w, string(p.Document))
		if _, err := parsePolicy(doc); err != nil {
			return fmt.Errorf("policy %s: %w", p.Name, err)
		}
		x := &managedPolicy{
			arn: a.arn("iam", "", "policy/"+name), name: name, id: a.iamUniqueID("ANPA", w.sc.Name, p.Name),
			path: "/", doc: doc, version: 1, created: a.clock, updated: a.clock,
		}
		if a.policies.get(x.arn) != nil {
			return apiError("EntityAlreadyExists", "A policy called %s already exists. Duplicate names are not allowed.", name)
		}
		a.policies.put(x.arn, x)
		w.ids["policy:"+p.Name] = x.arn
	}
	return nil
}

func (a *Account) buildRoles(w *world) error {
	for _, r := range w.sc.World.Roles {
		name := w.qualify("role", r.Name)
		if a.roles.get(name) != nil {
			return apiError("EntityAlreadyExists", "Role with name %s already exists.", name)
		}
		trust, err := r.TrustDocument()
		if err != nil {
			return fmt.Errorf("role %s: %w", r.Name, err)
		}
		x := &role{
			name: name, arn: a.arn("iam", "", "role/"+name), id: a.iamUniqueID("AROA", w.sc.Name, r.Name), path: "/",
			owner: w.sc.Name, trust: a.resolve(w, trust), created: a.clock,
		}
		for _, p := range r.ManagedPolicies {
			arn := p
			if !strings.HasPrefix(p, "arn:") {
				if arn, err = w.id("policy", p); err != nil {
					return err
				}
			}
			if a.policies.get(arn) == nil {
				return apiError("NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
			}
			x.attached = append(x.attached, arn)
		}
		for _, pn := range sortedKeys(r.InlinePolicies) {
			doc := a.resolve(w, string(r.InlinePolicies[pn]))
			if _, err := parsePolicy(doc); err != nil {
				return fmt.Errorf("role %s: inline policy %s: %w", r.Name, pn, err)
			}
			x.inline = append(x.inline, inlinePolicy{name: pn, doc: doc})
		}
		if r.PermissionsBoundary != "" {
			b := r.PermissionsBoundary
			if !strings.HasPrefix(b, "arn:") {
				if b, err = w.id("policy", b); err != nil {
					return err
				}
			}
			x.boundary = b
		}
		a.roles.put(name, x)
		w.ids["role:"+r.Name] = x.arn
	}
	return nil
}

// looksLikeKeyID reports whether s is a KMS key id (a UUID).
func looksLikeKeyID(s string) bool {
	return len(s) == 36 && strings.Count(s, "-") == 4
}

// subnetsOfGroupVPC lists the subnets of the VPC the first named group is in.
func (a *Account) subnetsOfGroupVPC(w *world, groups []string) []string {
	if len(groups) == 0 {
		return nil
	}
	id, err := w.id("sg", groups[0])
	if err != nil {
		return nil
	}
	sg := a.sgs.get(id)
	if sg == nil {
		return nil
	}
	var out []string
	for _, sn := range a.subnets.list() {
		if sn.vpc == sg.vpc {
			out = append(out, sn.id)
		}
	}
	return out
}
