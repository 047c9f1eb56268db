"""Writes the reference fixtures that crates/semantic is tested against.

The tokenizer reference comes from Hugging Face's `tokenizers` package reading the model's own
tokenizer.json; the embedding reference comes from a plain numpy forward pass of
all-MiniLM-L6-v2 (float64 throughout), written from the BERT paper and the model's config,
independently of our Rust code.

    python3 -m venv target/model/venv
    target/model/venv/bin/pip install numpy tokenizers safetensors
    bash scripts/model.sh
    target/model/venv/bin/python scripts/model/reference.py

It writes crates/semantic/tests/data/tokens_reference.json and embeddings_reference.json.
"""

import glob
import json
import math
import os
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_DIR = os.path.join(ROOT, "target", "model", "minilm")
DATA_DIR = os.path.join(ROOT, "crates", "semantic", "tests", "data")

# Strings that exercise every step of BERT's normalisation and WordPiece.
HOSTILE = [
    "",
    "   \t\n  ",
    "Café naïve résumé Ångström façade coöperate",
    "İstanbul ŞİŞLİ ıi",
    "日本語のテキスト and 中文字符 mixed 한국어 텍스트",
    "emoji 😀🔐 👩‍💻 flags 🇬🇧 🥰 newer emoji 🫠",
    "a" * 99,
    "b" * 100,
    "c" * 101,
    "é" * 101,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "zero\u200bwidth\u200djoiner\u2060word\ufeffbom",
    "control\x00chars\x07here\x1b[0m\x7f\x85end",
    "\ufffdreplacement \ufffd",
    "private use \ue000 char \U000f0000 and unassigned \u0378 \U000e0080",
    "[CLS] special [SEP] tokens [MASK] in [UNK] text [PAD]",
    "[cls] lower [Sep] and [CLS][SEP][MASK] glued x[UNK]y",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ｶﾀｶﾅ",
    "punctuation!!!...???---«quotes» „german“ ¿spanish? ¡yes! ‘single’ “double” – — … •",
    "math ≤ ≥ ± × ÷ ∑ ∞ $100 €50 £30 ¥ 2^10 ~tilde `backtick` |pipe| <angle> {brace} [square]",
    "tabs\tand\r\nnewlines\u2028line sep\u2029para\u00a0nbsp\u3000ideographic\u2009thin",
    "Ελληνικά κείμενο ΣΊΣΥΦΟΣ ΟΔΟΣ ς",
    "Русский ТЕКСТ ёЁ й",
    "عربي مع تشكيل: مُحَمَّد",
    "हिन्दी पाठ ক্ষ",
    "ﬁ ligature ﬀ and Ǆ digraph ǅ titlecase ẞ capital sharp s ß",
    "e\u0301 a\u0308 o\u0302\u0323 combining \u0301 alone",
    "don't can't won't it's O'Reilly",
    "e-mail, X.509 certs; TLS1.2/1.3 (AES-256-GCM) & SHA-256 @ 99.9% #hash _under_",
    "Ⅻ roman ① circled ² superscript ½ fraction",
    "  leading and trailing spaces  ",
    "MiXeD CaSe WoRdS",
    "a",
    ".",
    "[",
    "##",
    "##ing",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝 𝟙𝟚𝟛",
    "\U00020000\U0002a700\U0002b740\U0002b820\U0002ceb0 cjk extensions \uf900\ufa0e",
    "Does your organization encrypt data at rest? " * 12,
]

# Sentences whose embeddings are checked: questions, answers and unrelated text, so that the
# sanity check below can compare related and unrelated pairs.
SENTENCES = [
    "How do you make sure former employees can no longer get in?",
    "Access is revoked within 24 hours of termination.",
    "Do you encrypt customer data at rest?",
    "All databases and backups are encrypted with AES-256 using keys managed in AWS KMS.",
    "Is multi-factor authentication required for administrative access?",
    "Administrators must sign in with a hardware security key.",
    "Do you have a documented incident response plan?",
    "We test our disaster recovery plan once a year.",
    "The weather in Portland is rainy in November.",
    "My favourite pasta recipe uses fresh basil and garlic.",
    "Café résumé 日本語 🔐",
    "SOC 2 Type II",
]

# Pairs (related, unrelated) for the sanity check of the numpy forward pass.
SANITY_PAIRS = [((0, 1), (0, 9)), ((2, 3), (2, 8)), ((4, 5), (4, 9)), ((6, 7), (6, 8))]


def corpus():
    """Every gold question, every library question and alternate, then the hostile strings."""
    texts = []
    with open(os.path.join(ROOT, "eval", "gold.json"), encoding="utf-8") as handle:
        texts.extend(item["question"] for item in json.load(handle))
    for path in sorted(glob.glob(os.path.join(ROOT, "answer-library", "entries", "*.json"))):
        with open(path, encoding="utf-8") as handle:
            for entry in json.load(handle)["entries"]:
                texts.append(entry["question"])
                texts.extend(entry.get("alternates", []))
    texts.extend(HOSTILE)
    unique = []
    seen = set()
    for text in texts:
        if text not in seen:
            seen.add(text)
            unique.append(text)
    return unique


def reference_tokenizer():
    tokenizer = Tokenizer.from_file(os.path.join(MODEL_DIR, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def gelu(values):
    erf = np.vectorize(math.erf)
    return 0.5 * values * (1.0 + erf(values / math.sqrt(2.0)))


def layer_norm(values, weight, bias, eps=1e-12):
    mean = values.mean(axis=-1, keepdims=True)
    variance = ((values - mean) ** 2).mean(axis=-1, keepdims=True)
    return (values - mean) / np.sqrt(variance + eps) * weight + bias


def embed(weights, ids, config):
    """The forward pass of one sentence: BERT, then mean pooling and L2 normalisation."""
    w = {name: value.astype(np.float64) for name, value in weights.items() if value.dtype != np.int64}
    length = len(ids)
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_size = hidden // heads
    eps = config["layer_norm_eps"]
    states = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:length]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    states = layer_norm(states, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for layer in range(config["num_hidden_layers"]):
        prefix = f"encoder.layer.{layer}."

        def linear(values, name):
            return values @ w[prefix + name + ".weight"].T + w[prefix + name + ".bias"]

        query = linear(states, "attention.self.query").reshape(length, heads, head_size).transpose(1, 0, 2)
        key = linear(states, "attention.self.key").reshape(length, heads, head_size).transpose(1, 0, 2)
        value = linear(states, "attention.self.value").reshape(length, heads, head_size).transpose(1, 0, 2)
        scores = query @ key.transpose(0, 2, 1) / math.sqrt(head_size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probabilities = scores / scores.sum(axis=-1, keepdims=True)
        context = (probabilities @ value).transpose(1, 0, 2).reshape(length, hidden)
        attended = linear(context, "attention.output.dense")
        states = layer_norm(
            attended + states,
            w[prefix + "attention.output.LayerNorm.weight"],
            w[prefix + "attention.output.LayerNorm.bias"],
            eps,
        )
        intermediate = gelu(linear(states, "intermediate.dense"))
        output = linear(intermediate, "output.dense")
        states = layer_norm(
            output + states, w[prefix + "output.LayerNorm.weight"], w[prefix + "output.LayerNorm.bias"], eps
        )
    pooled = states.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def write_json(name, value):
    os.makedirs(DATA_DIR, exist_ok=True)
    path = os.path.join(DATA_DIR, name)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path):,} bytes)")


def main():
    tokenizer = reference_tokenizer()
    texts = corpus()
    cases = [{"text": text, "ids": tokenizer.encode(text).ids} for text in texts]
    write_json(
        "tokens_reference.json",
        {"source": "tokenizers " + sys.modules["tokenizers"].__version__ + ", tokenizer.json of all-MiniLM-L6-v2",
         "cases": cases},
    )

    with open(os.path.join(MODEL_DIR, "config.json"), encoding="utf-8") as handle:
        config = json.load(handle)
    weights = load_file(os.path.join(MODEL_DIR, "model.safetensors"))
    truncating = Tokenizer.from_file(os.path.join(MODEL_DIR, "tokenizer.json"))
    truncating.no_padding()
    embeddings = []
    for sentence in SENTENCES:
        ids = truncating.encode(sentence).ids
        vector = embed(weights, ids, config)
        embeddings.append({"text": sentence, "ids": ids, "embedding": [float(f"{x:.8g}") for x in vector]})

    vectors = np.array([item["embedding"] for item in embeddings])
    print("sanity check: cosine of related pairs against unrelated ones")
    for (a, b), (c, d) in SANITY_PAIRS:
        related = float(vectors[a] @ vectors[b])
        unrelated = float(vectors[c] @ vectors[d])
        print(f"  related {related:.3f}  unrelated {unrelated:.3f}  ({SENTENCES[a][:40]!r})")
        if not related > unrelated + 0.2:
            sys.exit("the numpy forward pass fails the sanity check: related pairs are not clearly closer")
    write_json("embeddings_reference.json", {"model": "all-MiniLM-L6-v2", "sentences": embeddings})


if __name__ == "__main__":
    main()
