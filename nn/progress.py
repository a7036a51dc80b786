"""`fit`'s progress bar: `bar = progress_bar(epochs)`, then `bar.update(loss)`
once per epoch and `bar.close()`.

In a terminal: tqdm when installed, else one line of stderr rewritten in
place. In a Jupyter notebook: one output, updated in place (a display with
an id), so the saved notebook keeps exactly one line, the final one; a text
bar there would leave one output per write."""
import sys
import time

WIDTH = 30
INTERVAL = 0.2  # seconds between redraws; the last epoch is always drawn


def progress_bar(epochs):
    if _in_notebook():
        return NotebookProgress(epochs)
    try:  # the text bar: no widgets needed
        from tqdm import tqdm
    except ImportError:
        return LineProgress(epochs)
    return TqdmProgress(tqdm(total=epochs, unit="epoch", mininterval=INTERVAL))


def _in_notebook():
    """True inside a Jupyter kernel (IPython imported by the kernel, not by us)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def line(done, epochs, loss, seconds):
    filled = WIDTH * done // max(epochs, 1)
    return (f"[{'#' * filled}{'.' * (WIDTH - filled)}] epoch {done}/{epochs}  "
            f"loss {loss:.4g}  {seconds:.1f}s")


class TqdmProgress:
    def __init__(self, bar):
        self.bar = bar

    def update(self, loss):
        self.bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
        self.bar.update(1)

    def close(self):
        self.bar.close()


class _Throttled:
    """Redraws at most every INTERVAL seconds, and always at the last epoch."""

    def __init__(self, epochs):
        self.epochs, self.done, self.start, self.drawn = epochs, 0, time.perf_counter(), 0.0
        self.loss = float("nan")

    def update(self, loss):
        self.done += 1
        self.loss = loss
        now = time.perf_counter()
        if self.done >= self.epochs or now - self.drawn >= INTERVAL:
            self.drawn = now
            self.draw(line(self.done, self.epochs, loss, now - self.start))


class LineProgress(_Throttled):
    """A plain bar on one line of stderr, rewritten in place."""

    def draw(self, text):
        sys.stderr.write("\r" + text)
        sys.stderr.flush()

    def close(self):
        sys.stderr.write("\n")
        sys.stderr.flush()


class NotebookProgress(_Throttled):
    """One notebook output, replaced on each redraw."""

    def __init__(self, epochs):
        super().__init__(epochs)
        from IPython.display import display
        self.handle = display({"text/plain": line(0, epochs, float("nan"), 0.0)}, raw=True,
                              display_id=True)

    def draw(self, text):
        self.handle.update({"text/plain": text}, raw=True)

    def close(self):
        if self.done:  # the final state, even if the last redraw was skipped
            self.draw(line(self.done, self.epochs, self.loss, time.perf_counter() - self.start))
