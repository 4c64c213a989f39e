"""Turn a matplotlib SVG with numbered frames into a looping SMIL animation.

The figure draws every frame at once, each frame's artists tagged with the
gid `frame-<i>-<part>`; matplotlib writes them as `<g id="frame-<i>-<part>">`.
Here each such group gets an `<animate>` that shows it only during its own
slice of the loop. SMIL runs inside an `<img>` (scripts would not), needs no
library, and a viewer without it shows the last frame, the finished fit.
"""

from __future__ import annotations

import re

_FRAME_GROUP = re.compile(r'<g id="frame-(\d+)-[\w-]+">')


def frame_gid(frame: int, part: str) -> str:
    """The gid to give an artist of frame `frame` (`part` tells its artists apart)."""
    return f"frame-{frame}-{part}"


def animate(svg: str, durations: list[float]) -> str:
    """`svg` with frame `i` shown for `durations[i]` seconds, in a loop."""
    total = sum(durations)
    starts = [sum(durations[:i]) / total for i in range(len(durations))]
    ends = [*starts[1:], 1.0]
    last = len(durations) - 1
    seen: set[int] = set()

    def add_animation(match: re.Match) -> str:
        frame = int(match.group(1))
        if frame > last:
            raise ValueError(f"SVG frame {frame} has no duration ({len(durations)} given)")
        seen.add(frame)
        if frame == 0:
            values, times = "visible;hidden", [0.0, ends[0]]
        elif frame == last:
            values, times = "hidden;visible", [0.0, starts[frame]]
        else:
            values, times = "hidden;visible;hidden", [0.0, starts[frame], ends[frame]]
        key_times = ";".join(f"{time:.4f}" for time in times)
        # Hidden unless it is the last frame, which is what a still viewer shows.
        hidden = "" if frame == last else ' visibility="hidden"'
        return (
            f"{match.group(0)[:-1]}{hidden}>"
            f'<animate attributeName="visibility" values="{values}" keyTimes="{key_times}" '
            f'calcMode="discrete" dur="{total:g}s" repeatCount="indefinite"/>'
        )

    result = _FRAME_GROUP.sub(add_animation, svg)
    if seen != set(range(len(durations))):
        raise ValueError(f"SVG frames {sorted(set(range(len(durations))) - seen)} are missing")
    return result
