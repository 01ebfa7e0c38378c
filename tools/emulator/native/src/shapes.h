// Shape and type inference. One rule set serves two purposes:
//  - symbolic: at load time, from the inputs' declared dims (-1 = dynamic), to
//    check the plan's stored dims and give the engine's getTensorShape;
//  - concrete: in a context, from the input shapes the caller set, to give
//    output shapes, sizes and the scratch layout.
// The TypeScript builder implements the same rules (src/infer.ts).
#pragma once

#include <string>
#include <vector>

#include "plan.h"

namespace emu {

enum class ShapeMode { kSymbolic, kConcrete };

// Fills shapes[layer.output] from shapes[layer.inputs]. Data-dependent dims
// come out as -1 in both modes.
bool inferLayerShape(const LayerDesc& layer, std::vector<Dims64>& shapes, ShapeMode mode, std::string& error);

// Runs inferLayerShape over every layer in order. `shapes` must hold one entry
// per tensor with the inputs filled in.
bool inferShapes(const Plan& plan, std::vector<Dims64>& shapes, ShapeMode mode, std::string& error);

// Checks the layer's input dtypes and returns the dtype its output must have
// (`requested` is the stored output dtype, which Cast converts to).
bool inferLayerType(const LayerDesc& layer, const std::vector<TensorDesc>& tensors, DType requested,
                    DType& out, std::string& error);

// Whether `dims` (a concrete input shape) lies within [min, max] of the
// profile; on failure says which dimension is out of range.
bool shapeInProfile(const Plan& plan, int profile, int inputOrdinal, const Dims64& dims, std::string& error);

}  // namespace emu
