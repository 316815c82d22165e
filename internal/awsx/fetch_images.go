package awsx

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

func imageRefs(td *facts.TaskDefinition) []facts.Image {
	var out []facts.Image
	seen := map[string]bool{}
	for _, c := range td.Containers {
		if c.Image == "" || seen[c.Image] {
			continue
		}
		seen[c.Image] = true
		out = append(out, facts.ParseImage(c.Image))
	}
	return out
}

// fetchImages asks ECR whether each private ECR image and tag exist. Images
// in other registries, or in ECR in another region, are left unchecked.
func (st *gathering) fetchImages(ctx context.Context, images []facts.Image) ([]facts.Image, error) {
	out := append([]facts.Image(nil), images...)
	eg, gctx := errgroup.WithContext(ctx)
	for i := range out {
		img := &out[i]
		if !img.ECR {
			continue
		}
		if img.Region != st.g.R.Region {
			img.CheckError = "the image is in ECR in " + img.Region + ", another region than the task's; ecsdoctor checks images in " + st.g.R.Region + " only"
			continue
		}
		eg.Go(func() error {
			id := ecrtypes.ImageIdentifier{}
			if img.Digest != "" {
				id.ImageDigest = aws.String(img.Digest)
			} else {
				id.ImageTag = aws.String(img.Tag)
			}
			_, err := st.g.R.ECR.DescribeImages(gctx, &ecr.DescribeImagesInput{
				RegistryId: aws.String(img.RegistryID), RepositoryName: aws.String(img.Repository), ImageIds: []ecrtypes.ImageIdentifier{id},
			})
			switch code := ErrorCode(err); {
			case err == nil:
				img.Checked, img.RepositoryFound, img.Found = true, true, true
			case code == "ImageNotFoundException":
				img.Checked, img.RepositoryFound = true, true
			case code == "RepositoryNotFoundException":
				img.Checked = true
			default:
				return err
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
