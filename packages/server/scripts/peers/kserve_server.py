import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mlp import mlp
import kserve
from kserve import InferRequest, InferResponse, InferOutput

class Mlp(kserve.Model):
    def __init__(self):
        super().__init__("sample")
        self.ready = True
    def predict(self, payload: InferRequest, headers=None) -> InferResponse:
        y = mlp(payload.inputs[0].as_numpy())
        return InferResponse(model_name="sample", response_id=payload.id or "", infer_outputs=[InferOutput(name="y", shape=list(y.shape), datatype="FP32", data=y.flatten().tolist())])

if __name__ == "__main__":
    kserve.ModelServer(http_port=8094, grpc_port=8095).start([Mlp()])
