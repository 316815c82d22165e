package motoworld

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// OCI, as docker buildx pushes by default; unlike Docker v2 manifests it
// carries annotations, where the image's base is recorded.
const manifestType = "application/vnd.oci.image.manifest.v1+json"

func (b *builder) repositories(ctx context.Context) error {
	for _, r := range b.sc.World.Repositories {
		if _, err := b.c.ecr.CreateRepository(ctx, &ecr.CreateRepositoryInput{
			RepositoryName: aws.String(r.Name),
		}); err != nil {
			return fmt.Errorf("repository %s: %w", r.Name, err)
		}
		for _, img := range r.Images {
			manifest, err := imageManifest(r.Name, img)
			if err != nil {
				return err
			}
			if _, err := b.c.ecr.PutImage(ctx, &ecr.PutImageInput{
				RepositoryName: aws.String(r.Name), ImageTag: aws.String(img.Tag),
				ImageManifest: aws.String(manifest), ImageManifestMediaType: aws.String(manifestType),
			}); err != nil {
				return fmt.Errorf("image %s:%s: %w", r.Name, img.Tag, err)
			}
		}
	}
	return nil
}

// imageManifest is a minimal OCI manifest whose digests derive from the
// repository and tag: moto treats an identical manifest as the same image,
// and every tag here must be an image of its own. The image's Base goes
// into the standard org.opencontainers.image.base.name annotation, the one
// place a registry API (ecr:BatchGetImage) can reveal it.
func imageManifest(repo string, img scenario.ImageTag) (string, error) {
	digest := func(part string) string {
		return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(repo+":"+img.Tag+"/"+part)))
	}
	m := map[string]any{
		"schemaVersion": 2,
		"mediaType":     manifestType,
		"config": map[string]any{
			"mediaType": "application/vnd.oci.image.config.v1+json",
			"size":      1469,
			"digest":    digest("config"),
		},
		"layers": []map[string]any{{
			"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
			"size":      3370706,
			"digest":    digest("layer"),
		}},
	}
	if img.Base != "" {
		m["annotations"] = map[string]string{"org.opencontainers.image.base.name": img.Base}
	}
	out, err := json.Marshal(m)
	return string(out), err
}
