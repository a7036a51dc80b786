"""Running the layout program: Graphviz's `dot`, or, when `dot` is not on
PATH, the `graphviz-pure` program that pip installs (`pip install
graphviz-pure`, part of the `viz` extra). The `graphviz` Python package
still writes the DOT source; only the program that lays it out changes."""
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig

import graphviz

PURE = "graphviz-pure"
INSTALL_HINT = (
    "Rendering a picture needs a Graphviz layout program, and neither `dot` nor "
    "`graphviz-pure` was found. With pip alone: `pip install graphviz-pure` (part of "
    "`pip install -e \".[viz]\"`). Or install Graphviz itself: `apt-get install graphviz` "
    "(Debian, Ubuntu), `brew install graphviz` (macOS) or `conda install -c conda-forge "
    "graphviz`. The DOT source (`picture.source`) is available without either.")


class GraphvizNotFound(RuntimeError):
    """Rendering needs Graphviz's `dot` or the `graphviz-pure` program."""


def script_folders():
    """Where pip puts this Python's programs: `graphviz-pure` is found there even
    when that folder is not on PATH (a notebook kernel started from a venv that
    was never activated)."""
    return [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]


def layout_program():
    """The path of the program that lays out DOT: `dot` on PATH; else
    `graphviz-pure` on PATH or beside this Python; else None."""
    found = shutil.which("dot") or shutil.which(PURE)
    if found:
        return found
    for folder in script_folders():
        found = shutil.which(PURE, path=folder) if folder else None
        if found:
            return found
    return None


def _program():
    program = layout_program()
    if program is None:
        raise GraphvizNotFound(INSTALL_HINT)
    return program


def _is_pure(program):
    return os.path.basename(program).lower().startswith(PURE)


def _format_flag(fmt, renderer=None, formatter=None):
    return ":".join(x for x in (fmt, renderer, formatter) if x)


class Picture(graphviz.Digraph):
    """A `graphviz.Digraph` that renders with `dot` or, without it, with
    `graphviz-pure`, and explains how to get either when both are missing.
    Shows inline in Jupyter (SVG) like any Digraph."""

    def pipe(self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False,
             *, engine=None, encoding=None):
        program = _program()
        if not _is_pure(program):
            try:
                return super().pipe(format, renderer=renderer, formatter=formatter,
                                    neato_no_op=neato_no_op, quiet=quiet, engine=engine,
                                    encoding=encoding)
            except graphviz.ExecutableNotFound:
                raise GraphvizNotFound(INSTALL_HINT) from None
        cmd = [program, f"-K{engine or self.engine}",
               f"-T{_format_flag(format or self.format, renderer, formatter)}"]
        out = _run(cmd, self.source.encode(self.encoding), quiet)
        return out if encoding is None else out.decode(encoding)

    def render(self, filename=None, directory=None, view=False, cleanup=False, format=None,
               renderer=None, formatter=None, neato_no_op=None, quiet=False, quiet_view=False,
               *, outfile=None, engine=None, raise_if_result_exists=False,
               overwrite_source=False):
        program = _program()
        if not _is_pure(program):
            try:
                return super().render(filename, directory=directory, view=view,
                                      cleanup=cleanup, format=format, renderer=renderer,
                                      formatter=formatter, neato_no_op=neato_no_op, quiet=quiet,
                                      quiet_view=quiet_view, outfile=outfile, engine=engine,
                                      raise_if_result_exists=raise_if_result_exists,
                                      overwrite_source=overwrite_source)
            except graphviz.ExecutableNotFound:
                raise GraphvizNotFound(INSTALL_HINT) from None
        # the same file names as graphviz's own render: source `filename`,
        # result `filename.<format>` (or `outfile`, its format from its suffix)
        if outfile is not None:
            outfile = pathlib.Path(outfile)
            if directory is None:
                outfile = pathlib.Path(self.directory, outfile)
            format = format or outfile.suffix.lstrip(".")
            if filename is None:
                filename = outfile.with_suffix(".gv")
        fmt = format or self.format
        source = self.save(filename, directory=directory)
        target = str(outfile) if outfile is not None else f"{source}.{fmt}"
        if raise_if_result_exists and os.path.exists(target):
            raise graphviz.FileExistsError(f"output file exists: {target!r}")
        cmd = [program, f"-K{engine or self.engine}",
               f"-T{_format_flag(fmt, renderer, formatter)}", "-o", target, source]
        _run(cmd, None, quiet)
        if cleanup:
            os.remove(source)
        if view or quiet_view:
            graphviz.view(target, quiet=quiet_view)
        return target


def _run(cmd, data, quiet):
    proc = subprocess.run(cmd, input=data, capture_output=True)
    if proc.returncode:
        raise graphviz.CalledProcessError(proc.returncode, cmd, output=proc.stdout,
                                          stderr=proc.stderr)
    if proc.stderr and not quiet:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
    return proc.stdout
