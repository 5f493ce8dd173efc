"""Vigil's Python SDK: log predictions and labels from a model service.

    from vigil import Vigil

    vigil = Vigil(api_key=os.environ["VIGIL_API_KEY"], endpoint="https://vigil.example.com")
    vigil.log_prediction(model="fraud", features={"amount": 12.5}, prediction=1, scores=0.91)
"""

from ._ids import uuid7
from .client import DeliveryError, Dropped, Rejection, Vigil, VigilStats

__version__ = "0.1.0"
__all__ = ["Vigil", "VigilStats", "Dropped", "Rejection", "DeliveryError", "uuid7", "__version__"]
