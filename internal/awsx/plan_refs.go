package awsx

import (
	"context"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// gatherReferences reads what the task definition points at: secrets and
// parameters (and their KMS keys), log groups and the chosen task's log
// streams, images, and databases named in the environment.
func (st *gathering) gatherReferences(ctx context.Context, part func(func()), td *future[*facts.TaskDefinition], chosen *future[*facts.Task]) {
	tdPart := func(key facts.Key, op string, fetch func(t *facts.TaskDefinition) (func(*facts.Facts), error)) {
		part(func() {
			t, err := td.get(ctx)
			if err != nil {
				st.settle(key, op, err, nil)
				return
			}
			apply, err := fetch(t)
			st.settle(key, op, err, apply)
		})
	}
	secrets := spawn(func() ([]facts.Secret, error) {
		t, err := td.get(ctx)
		if err != nil {
			return nil, err
		}
		refs, _ := secretRefs(t)
		if len(refs) == 0 {
			return nil, errSkipped
		}
		return st.fetchSecrets(ctx, refs)
	})
	params := spawn(func() ([]facts.Parameter, error) {
		t, err := td.get(ctx)
		if err != nil {
			return nil, err
		}
		_, refs := secretRefs(t)
		if len(refs) == 0 {
			return nil, errSkipped
		}
		return st.fetchParameters(ctx, refs)
	})
	part(func() {
		v, err := secrets.get(ctx)
		st.settle(facts.KeySecrets, "secretsmanager:DescribeSecret", err, func(f *facts.Facts) { f.Secrets = v })
	})
	part(func() {
		v, err := params.get(ctx)
		st.settle(facts.KeyParameters, "ssm:DescribeParameters", err, func(f *facts.Facts) { f.Parameters = v })
	})
	part(func() {
		s, _ := secrets.get(ctx)
		p, _ := params.get(ctx)
		refs := customKeyRefs(s, p)
		if len(refs) == 0 {
			st.skip(facts.KeyKMSKeys)
			return
		}
		keys, err := st.fetchKMSKeys(ctx, refs)
		st.settle(facts.KeyKMSKeys, "kms:DescribeKey", err, func(f *facts.Facts) { f.KMSKeys = keys })
	})
	tdPart(facts.KeyLogGroups, "logs:DescribeLogGroups", func(t *facts.TaskDefinition) (func(*facts.Facts), error) {
		if len(awslogsGroups(t)) == 0 {
			return nil, errSkipped
		}
		groups, err := st.fetchLogGroups(ctx, t)
		return func(f *facts.Facts) { f.Logs.Groups = groups }, err
	})
	part(func() {
		t, err := td.get(ctx)
		if err != nil {
			st.settle(facts.KeyLogEvents, "logs:GetLogEvents", err, nil)
			return
		}
		task, err := chosen.get(ctx)
		if err != nil || len(awslogsGroups(t)) == 0 {
			st.settle(facts.KeyLogEvents, "logs:GetLogEvents", errSkippedOr(err), nil)
			return
		}
		streams, err := st.fetchLogStreams(ctx, t, task)
		st.settle(facts.KeyLogEvents, "logs:GetLogEvents", err, func(f *facts.Facts) { f.Logs.Streams = streams })
	})
	tdPart(facts.KeyImages, "ecr:DescribeImages", func(t *facts.TaskDefinition) (func(*facts.Facts), error) {
		imgs, err := st.fetchImages(ctx, imageRefs(t))
		return func(f *facts.Facts) { f.Images = imgs }, err
	})
	tdPart(facts.KeyDatabases, "rds:DescribeDBInstances", func(t *facts.TaskDefinition) (func(*facts.Facts), error) {
		refs := facts.DatabaseRefs(t)
		if len(refs) == 0 {
			return nil, errSkipped
		}
		dbs, err := st.fetchDatabases(ctx, refs)
		return func(f *facts.Facts) { f.Databases = dbs }, err
	})
}
