from transformers import AutoModelForSeq2SeqLM, AutoTokenizer


def test_tiny_model_loads_and_generates(tiny_model_dir):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    ids = tokenizer(["hello there"], return_tensors="pt").input_ids
    out = model.generate(ids, max_new_tokens=5)
    assert out.shape[0] == 1 and out.shape[1] <= 6
