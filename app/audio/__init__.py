"""Audio cues behind the `CuePlayer` protocol: a null player and the playsound3 backend."""
