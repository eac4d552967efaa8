"""Batch export: many stories, one folder of reports each, with an index, resume and parallel workers.

`parallax batch` is a thin layer over this package: `inputs` finds the stories,
`story` turns one story into its report texts, `runner` (local processes) or
`ray_engine` (Ray) runs that function over all stories, `index` writes the overview,
`cluster` groups loose articles into stories.
"""

from batch.inputs import BatchInput, Story, assign_folders, read_input, safe_folder_name
from batch.runner import BatchResult, BatchSettings, LocalEngine, StoryRow, run_batch
from batch.story import FORMAT_FILES, StoryReports, build_reports, story_hash

__all__ = [
    "FORMAT_FILES",
    "BatchInput",
    "BatchResult",
    "BatchSettings",
    "LocalEngine",
    "Story",
    "StoryReports",
    "StoryRow",
    "assign_folders",
    "build_reports",
    "read_input",
    "run_batch",
    "safe_folder_name",
    "story_hash",
]
