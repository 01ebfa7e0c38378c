# The sample engine's two-layer perceptron in numpy: y = fc2(relu(fc1(x))), x [batch, 8] -> y [batch, 4].
import json, os
import numpy as np
# weights.json is written by run.sh from examples/engines/sample.mjs, the engine's own description.
_w = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.json")))
W1 = np.array(_w["fc1"]["w"], dtype=np.float32).reshape(8, 16); B1 = np.array(_w["fc1"]["b"], dtype=np.float32)
W2 = np.array(_w["fc2"]["w"], dtype=np.float32).reshape(16, 4); B2 = np.array(_w["fc2"]["b"], dtype=np.float32)
def mlp(x):
    return (np.maximum(x @ W1 + B1, 0) @ W2 + B2).astype(np.float32)
