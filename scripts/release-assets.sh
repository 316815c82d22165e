#!/bin/sh
# release-assets.sh: write the shell completion scripts into completions/ and
# the man pages (section 1, gzipped) into manpages/, for the release archives,
# the Linux packages and the Homebrew cask. .goreleaser.yaml runs it before
# the builds. Both come from the command tree itself, through a host build of
# ecsdoctor (`ecsdoctor completion SHELL` and the hidden `ecsdoctor man DIR`).
# The pages are dated with the last commit, so one commit gives the same
# pages (SOURCE_DATE_EPOCH overrides it).
#
#   scripts/release-assets.sh [VERSION]     (goreleaser passes {{ .Version }})
set -e
version=${1:-dev}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The flags of the release builds, so that this build shares their cache.
CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$version" -o "$tmp/ecsdoctor" ./cmd/ecsdoctor

rm -rf completions manpages
mkdir completions
for sh in bash zsh fish; do
	"$tmp/ecsdoctor" completion "$sh" >"completions/ecsdoctor.$sh"
done

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
"$tmp/ecsdoctor" man manpages
gzip -9 -n manpages/*.1
