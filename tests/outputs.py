"""What a committed output shows, for comparing it with a fresh run: texts,
step counts and how many pictures, without timings or memory addresses;
numbers agree to 2% (so a last digit that moves with the machine's BLAS does
not count as stale, while a changed count or text does)."""
import html
import json
import re

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def normalize(text):
    text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
    text = re.sub(r"\b\d+(?:\.\d+)?s\b", "?s", text)  # elapsed seconds
    text = re.sub(r"\b\d\d:\d\d\b", "?:?", text)  # elapsed minutes and seconds
    text = re.sub(r"\d+(?:\.\d+)?(?:it|epoch)/s", "?/s", text)  # rates
    return text


def svg_texts(svg):
    """The texts of a picture, sorted (renderers may order elements differently)."""
    return sorted(html.unescape(t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))


def explorer_summary(page):
    """Steps, captions and node names of an explorer (a page or an HTML output)."""
    data = json.loads(re.search(r'class="agx-data">(.*?)</script>', page, re.S).group(1))
    names = sorted(n.get("name", n.get("op", "")) for n in data["nodes"].values())
    return {"steps": data["steps"], "captions": [f["caption"] for f in data["frames"]],
            "names": names}


def shown(nb):
    """Per code cell, what its outputs show."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        items = []
        for out in cell.get("outputs", []):
            kind = out["output_type"]
            if kind == "stream":
                items.append(["stream", out["name"], normalize(out["text"])])
            elif kind == "error":
                items.append(["error", out["ename"]])
            else:
                data = out.get("data", {})
                page = data.get("text/html", "")
                if "data-autograd-explorer" in page:
                    items.append(["explorer", explorer_summary(page)])
                elif "image/svg+xml" in data:
                    items.append(["svg", svg_texts(data["image/svg+xml"])])
                elif "image/png" in data:
                    items.append(["png"])
                else:
                    items.append(["text", normalize(data.get("text/plain", ""))])
        cells.append(items)
    return cells


def differences(old, new, where="output"):
    """Where `old` and `new` differ (numbers to 2%), as a list of messages."""
    if isinstance(old, dict) and isinstance(new, dict):
        if sorted(old) != sorted(new):
            return [f"{where}: keys {sorted(old)} != {sorted(new)}"]
        return [d for k in old for d in differences(old[k], new[k], f"{where}.{k}")]
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} items, now {len(new)}: {str(old)[:300]} -> {str(new)[:300]}"]
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in differences(a, b, f"{where}[{i}]")]
    if isinstance(old, str) and isinstance(new, str):
        if NUMBER.split(old) != NUMBER.split(new):
            return [f"{where}: {old[:300]!r} -> {new[:300]!r}"]
        for a, b in zip(NUMBER.findall(old), NUMBER.findall(new)):
            if not _close(a, b):
                return [f"{where}: {a} -> {b} in {new[:300]!r}"]
        return []
    return [] if old == new else [f"{where}: {old!r} -> {new!r}"]


def _close(a, b):
    if not any(c in a + b for c in ".e"):
        return a == b  # counts and step numbers exactly
    x, y = float(a), float(b)
    return abs(x - y) <= 0.02 * max(abs(x), abs(y)) + 1e-12
