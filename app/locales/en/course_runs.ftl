# Course runs (issue 7): their catalogue listings, copying a run, groups in a run (S7, S12, T2).
runs.reviews = Reviews and comments
runs.reviews_named = Reviews and comments: {title}
