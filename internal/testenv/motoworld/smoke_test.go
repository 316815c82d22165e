package motoworld

import (
	"context"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
)

func TestSmoke(t *testing.T) {
	srv := moto.Shared(t)
	ctx := context.Background()
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		if err := srv.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := Build(ctx, srv, sc); err != nil {
			t.Errorf("%v\n%s", err, srv.Stderr())
		}
	}
}
