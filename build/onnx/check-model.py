#!/usr/bin/python3
"""Validates ONNX models with onnx.checker.check_model(model, full_check=True) (Debian's python3-onnx).

Usage: /usr/bin/python3 build/onnx/check-model.py <model.onnx>...
Prints one line per model, "ok <path>" or "error <path>: <message>", and exits with 1 when any model fails.
"""
import sys

import onnx


def main(paths):
    failed = False
    for path in paths:
        try:
            onnx.checker.check_model(onnx.load(path), full_check=True)
            print(f"ok {path}")
        except Exception as error:  # the checker raises several exception types
            failed = True
            print(f"error {path}: {str(error).strip()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
