#!/usr/bin/env bash
# Fashion-MNIST as PNG files in class folders, for the image pipelines (the transfer-learning sample and its tests):
# build/data/fashion-mnist-png/{train,test}/<class>/<index>.png, 300 training and 100 test images per class (3,000 and
# 1,000), the first of each class in file order. test/fixtures/images/fashion_mnist_png.py writes them with Debian's
# python3-pil from the IDX files of Debian's dataset-fashion-mnist (both installed when missing), into a temporary
# folder that is moved into place once complete. Skipped when the folder was made by the same version of the script.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=test/fixtures/images/fashion_mnist_png.py
source_folder=/usr/share/datasets/fashion-mnist
target=build/data/fashion-mnist-png
stamp="$target/generator.sha256"
digest=$( (cat "$script"; echo "300 100") | sha256sum | cut -d' ' -f1)
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && exit 0
source build/apt.sh
missing=()
/usr/bin/python3 -c "import PIL" >/dev/null 2>&1 || missing+=(python3-pil)
[ -f "$source_folder/train-images-idx3-ubyte.gz" ] || missing+=(dataset-fashion-mnist)
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}"
fi
work="$target.tmp"
rm -rf "$work"
echo "setup: writing Fashion-MNIST as PNG files to $target (3,000 training and 1,000 test images)"
/usr/bin/python3 "$script" "$work" 300 100 "$source_folder"
echo "$digest" > "$work/generator.sha256"
rm -rf "$target"
mv "$work" "$target"
