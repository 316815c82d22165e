package sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// ecrAPI is the account's ECR endpoint (awsx.ECRReader).
type ecrAPI struct{ a *Account }

// findImage finds a pushed image by tag or digest in the account's own
// registry.
func (a *Account) findImage(img facts.Image) *image {
	if img.RegistryID != a.account || img.Region != a.region {
		return nil
	}
	r := a.repos.get(img.Repository)
	if r == nil {
		return nil
	}
	return r.lookup(img.Tag, img.Digest)
}

func (r *repository) lookup(tag, dig string) *image {
	for _, im := range r.images {
		if (dig != "" && im.digest == dig) || (dig == "" && contains(im.tags, tag)) {
			return im
		}
	}
	return nil
}

func (x *ecrAPI) DescribeImages(ctx context.Context, in *ecr.DescribeImagesInput, _ ...func(*ecr.Options)) (*ecr.DescribeImagesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecr:DescribeImages", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	registry := aws.ToString(in.RegistryId)
	if registry == "" {
		registry = a.account
	}
	name := aws.ToString(in.RepositoryName)
	r := a.repos.get(name)
	if r == nil || registry != a.account {
		return nil, apiError("RepositoryNotFoundException", "The repository with name '%s' does not exist in the registry with id '%s'", name, registry)
	}
	var list []*image
	if len(in.ImageIds) > 0 {
		for _, id := range in.ImageIds {
			im := r.lookup(aws.ToString(id.ImageTag), aws.ToString(id.ImageDigest))
			if im == nil {
				return nil, apiError("ImageNotFoundException", "The image with imageId {imageDigest:'%s', imageTag:'%s'} does not exist within the repository with name '%s' in the registry with id '%s'",
					orDefault(aws.ToString(id.ImageDigest), "null"), orDefault(aws.ToString(id.ImageTag), "null"), name, registry)
			}
			list = append(list, im)
		}
	} else {
		for _, im := range r.images {
			if f := in.Filter; f != nil && f.TagStatus == ecrtypes.TagStatusUntagged && len(im.tags) > 0 {
				continue
			}
			list = append(list, im)
		}
	}
	items, next, err := page(a, "DescribeImages", list, in.NextToken, aws.ToInt32(in.MaxResults), 100, "InvalidParameterException")
	if err != nil {
		return nil, err
	}
	out := &ecr.DescribeImagesOutput{NextToken: next}
	for _, im := range items {
		out.ImageDetails = append(out.ImageDetails, ecrtypes.ImageDetail{
			RegistryId: aws.String(a.account), RepositoryName: aws.String(r.name), ImageDigest: aws.String(im.digest),
			ImageTags: cloneStrings(im.tags), ImageSizeInBytes: aws.Int64(im.size), ImagePushedAt: timePtr(im.pushed),
			ImageManifestMediaType: aws.String("application/vnd.oci.image.manifest.v1+json"),
			ArtifactMediaType:      aws.String("application/vnd.oci.image.config.v1+json"),
		})
	}
	return out, nil
}
