#pragma once
// The narrow LibTorch headers gnnx needs. `<torch/torch.h>` costs ~25 s per translation unit;
// these cost a fraction of that and are also the precompiled header of every gnnx target.

#include <torch/types.h>
