#!/usr/bin/env bash
# The consumer's path: what a new user does with the packages, from a local feed, outside this repository.
#
#   1. build/pack.sh packs MLNet.Pruning, MLNet.Pruning.TorchSharp and mlprune into a feed in a temporary folder.
#   2. For each run below, build/consumer/App (samples/QuickStart/Program.cs, the README's ten lines) and
#      build/consumer/Check are copied to a fresh folder there and built with PackageReference only, restoring from the
#      feed and nuget.org; App trains, prunes, fine-tunes, evaluates and saves mlp.pruned.zip and mlp.pruned.onnx;
#      Check loads the zip in a second process and compares its scores with ONNX Runtime on the .onnx within 1e-5.
#        run "lowest": the app references MLNet.Pruning only (Microsoft.ML 5.0.1, ONNX Runtime 1.30.0: the package's lowest)
#        run "newest": the app pins Microsoft.ML and Microsoft.ML.OnnxTransformer 6.0.0 and Microsoft.ML.OnnxRuntime 1.32.0
#      Each run's Check also loads the other run's zip: the scores must be the same.
#   3. An app that pins an ONNX Runtime older than the package's must fail at restore (NU1605), not at load; an app
#      whose ONNX Runtime lacks its native library must fail to save naming the package, leaving no file (SaveAtomic).
#   4. mlprune is installed from the feed as a tool (dotnet tool install --tool-path) and runs --help and `info mlp`.
#
# Our packages never enter the machine's NuGet cache: the consumer restores into its own NUGET_PACKAGES folder (removed
# at the end) and reads the machine's cache, warmed first for the third-party versions, as a read-only fallback.
# Arguments go to `dotnet pack` (e.g. --no-build after a Release build of the solution).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
began=$SECONDS
shared_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
work=$(mktemp -d "${TMPDIR:-/tmp}/mlnet-pruning-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
say() { echo "consumer: $*"; }

# The package readme shows the ten lines as samples/QuickStart/Program.cs has them (its code, without the comment).
python3 - <<'PY' || exit 1
import re, sys
readme = open("src/Microsoft.ML.Pruning/PACKAGE.md").read()
shown = re.search(r"## Ten lines\n\n```csharp\n(.*?)```", readme, re.S).group(1)
sample = "".join(line for line in open("samples/QuickStart/Program.cs", encoding="utf-8-sig") if not line.startswith("//"))
if shown.strip() != sample.strip():
    sys.exit("consumer: src/Microsoft.ML.Pruning/PACKAGE.md's ten lines differ from samples/QuickStart/Program.cs")
PY
bash build/pack.sh "$feed" "$@" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
version=$(dotnet msbuild src/Microsoft.ML.Pruning -getProperty:Version)
say "packed $(cd "$feed" && ls | tr '\n' ' ')($((SECONDS - began)) s)"

# The third-party packages the runs need, restored once into the machine's cache (a no-op when they are there).
warm() {
  local dir="$work/warm-$1"; mkdir -p "$dir"
  cat >"$dir/warm.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML" Version="$2" />
    <PackageReference Include="Microsoft.ML.OnnxTransformer" Version="$2" />
    <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="$3" />
    <PackageReference Include="Google.Protobuf" Version="3.30.2" />
  </ItemGroup>
</Project>
XML
  cp "$repo/NuGet.config" "$dir/"
  dotnet restore "$dir/warm.csproj" --verbosity quiet
}
warm lowest 5.0.1 1.30.0
warm newest 6.0.0 1.32.0

cat >"$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="MLNet.Pruning" />
      <package pattern="MLNet.Pruning.*" />
      <package pattern="mlprune" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <clear />
    <add key="machine" value="$shared_cache" />
  </fallbackPackageFolders>
</configuration>
XML
export NUGET_PACKAGES="$work/packages"

resolved() {
  python3 - "$1" <<'PY'
import json, sys
libraries = json.load(open(sys.argv[1]))["libraries"]
wanted = ["MLNet.Pruning", "Microsoft.ML", "Microsoft.ML.OnnxTransformer", "Microsoft.ML.OnnxRuntime", "Microsoft.ML.OnnxRuntime.Managed"]
found = {key.split("/")[0]: key.split("/")[1] for key in libraries}
print(", ".join(f"{name} {found.get(name, 'absent')}" for name in wanted))
PY
}

run() {
  local name=$1; shift
  local dir="$work/$name"; mkdir -p "$dir/out"
  cp -r build/consumer/App build/consumer/Check "$dir/"
  cp samples/QuickStart/Program.cs "$dir/App/Program.cs"
  local started=$SECONDS
  dotnet build "$dir/Check/Check.csproj" -c Release --nologo --verbosity quiet -p:PruningVersion="$version" "$@" >"$dir/build.log" 2>&1 \
    || { cat "$dir/build.log"; exit 1; }
  say "$name: built App and Check ($((SECONDS - started)) s): $(resolved "$dir/App/obj/project.assets.json")"
  started=$SECONDS
  (cd "$dir/out" && dotnet "$dir/App/bin/Release/net10.0/App.dll") >"$dir/app.log" 2>&1 || { cat "$dir/app.log"; exit 1; }
  grep -q "^test accuracy: " "$dir/app.log" || { cat "$dir/app.log"; exit 1; }
  say "$name: the ten lines ran ($((SECONDS - started)) s): $(grep '^test accuracy: ' "$dir/app.log"); mlp.pruned.zip $(stat -c %s "$dir/out/mlp.pruned.zip") bytes, mlp.pruned.onnx $(stat -c %s "$dir/out/mlp.pruned.onnx") bytes"
}

check() {
  local checker=$1 saved=$2
  dotnet "$work/$checker/Check/bin/Release/net10.0/Check.dll" "$work/$saved/out/mlp.pruned.zip" "$work/$saved/out/mlp.pruned.onnx" "$work/$checker/out/$saved.scores" \
    | sed "s/^check: /consumer: $checker loads $saved: /"
}

run lowest
run newest -p:MicrosoftMLVersion=6.0.0 -p:OnnxRuntimeVersion=1.32.0
started=$SECONDS
for checker in lowest newest; do
  for saved in lowest newest; do
    check "$checker" "$saved"
  done
done
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
def rows(path): return [[float(v) for v in line.split()] for line in open(path)]
for saved in ("lowest", "newest"):
    a, b = rows(f"{work}/lowest/out/{saved}.scores"), rows(f"{work}/newest/out/{saved}.scores")
    diff = max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
    same = "identical" if a == b else f"largest difference {diff:.2e}"
    print(f"consumer: the zip saved by run {saved}, loaded by both runs: {len(a)} rows, scores {same}")
    if len(a) != len(b) or diff > 1e-5:
        sys.exit(1)
PY
say "loads checked ($((SECONDS - started)) s)"

# An ONNX Runtime older than the package's lowest: the restore must refuse it (a downgrade, NU1605), naming the package.
pin="$work/pin"; mkdir -p "$pin"
sed 's|<PackageReference Include="Microsoft.ML.OnnxRuntime" [^>]*/>|<PackageReference Include="Microsoft.ML.OnnxRuntime.Managed" Version="1.24.4" />|' build/consumer/App/App.csproj >"$pin/pin.csproj"
echo 'Console.WriteLine();' >"$pin/Program.cs"
if dotnet restore "$pin/pin.csproj" -p:PruningVersion="$version" >"$pin/restore.log" 2>&1; then
  cat "$pin/restore.log"; say "FAILED: an app pinning Microsoft.ML.OnnxRuntime.Managed 1.24.4 restored"; exit 1
fi
grep -q "NU1605.*Microsoft.ML.OnnxRuntime.Managed" "$pin/restore.log" || { cat "$pin/restore.log"; exit 1; }
say "an app pinning Microsoft.ML.OnnxRuntime.Managed 1.24.4 fails at restore: $(grep -o 'NU1605[^[]*' "$pin/restore.log" | head -1 | cut -c1-200)"

# ONNX Runtime without its native library (assets excluded): saving names the package and leaves nothing.
started=$SECONDS
cp -r build/consumer/NoNativeRuntime "$work/"
dotnet build "$work/NoNativeRuntime/NoNativeRuntime.csproj" -c Release --nologo --verbosity quiet -p:PruningVersion="$version" >"$work/no-native.log" 2>&1 \
  || { cat "$work/no-native.log"; exit 1; }
mkdir -p "$work/no-native" && (cd "$work/no-native" && dotnet "$work/NoNativeRuntime/bin/Release/net10.0/NoNativeRuntime.dll") | sed 's/^no-native: /consumer: no native ONNX Runtime: /' \
  || { say "FAILED: saving without ONNX Runtime's native library"; exit 1; }
say "checked saving without ONNX Runtime's native library ($((SECONDS - started)) s)"

# The tool.
started=$SECONDS
dotnet tool install mlprune --version "$version" --tool-path "$work/tools" --configfile "$work/NuGet.config" >"$work/tool.log" 2>&1 \
  || { cat "$work/tool.log"; exit 1; }
"$work/tools/mlprune" --help >"$work/help.log" 2>&1 || { cat "$work/help.log"; exit 1; }
grep -q "prune" "$work/help.log" || { cat "$work/help.log"; exit 1; }
info=$("$work/tools/mlprune" info mlp 2>&1) || { echo "$info"; exit 1; }
echo "$info" | grep -q "266,610 parameters" || { echo "$info"; exit 1; }
say "dotnet tool install mlprune $version: --help lists the commands; mlprune info mlp: $(echo "$info" | grep -m1 '266,610 parameters' | sed 's/^ *//') ($((SECONDS - started)) s)"
say "passed in $((SECONDS - began)) s"
