#!/usr/bin/env bash
# Packs the three packages, each with its .snupkg symbols, into a folder that serves as a local NuGet feed:
# MLNet.Pruning (src/Microsoft.ML.Pruning), MLNet.Pruning.TorchSharp (src/Microsoft.ML.Pruning.TorchSharp) and the
# .NET tool mlprune (src/Microsoft.ML.Pruning.Cli). The version is Directory.Build.props' VersionPrefix.
#
#   bash build/pack.sh [FEED] [dotnet pack arguments...]     FEED defaults to artifacts/packages
#
# For example `bash build/pack.sh /tmp/feed --no-build` after a Release build, or
# `-p:RepositoryUrl=https://github.com/OWNER/REPO` for a release with SourceLink.
set -euo pipefail
cd "$(dirname "$0")/.."
feed="${1:-artifacts/packages}"
[ $# -gt 0 ] && shift
mkdir -p "$feed"
for project in src/Microsoft.ML.Pruning src/Microsoft.ML.Pruning.TorchSharp src/Microsoft.ML.Pruning.Cli; do
  dotnet pack "$project" -c Release -o "$feed" --nologo "$@"
done
