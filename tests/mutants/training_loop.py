from tests.mutants import Mutant

# Bodies of a correct train_epoch / train_classifier, with one line changed in each mutant.
MUTANTS = [
    # --- 6.1 train_epoch
    Mutant(
        task="6.1",
        name="forgets_zero_grad",
        feedback="without optimizer.zero_grad()",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="zero_grad_after_step",
        feedback="not after step",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="drops_last_batch",
        feedback="skipped the last, shorter batch",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                if len(idx) < batch_size:
                    continue
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="returns_last_batch_loss",
        feedback="loss of the last batch only",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
            return loss.item()
        ''',
    ),
    Mutant(
        task="6.1",
        name="returns_tensor",
        feedback="should be a Python float",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.detach())
            return torch.stack(losses).mean()
        ''',
    ),
    Mutant(
        task="6.1",
        name="batches_in_data_order",
        feedback="batches taken in data order",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.arange(len(x)).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="mean_weighted_by_batch_size",
        feedback="weighted by batch size",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            total = 0.0
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                total += loss.item() * len(idx)
            return total / len(x)
        ''',
    ),
    Mutant(
        task="6.1",
        name="sum_of_batch_losses",
        feedback='is the sum of the batch losses',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses)
        ''',
    ),
    # in the families: right on the plain calls, wrong only for some callers
    Mutant(
        task="6.1",
        name="switches_to_eval_mode",
        feedback='matches an epoch run in eval mode',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            model.eval()
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="forward_twice",
        feedback='matches two forward passes per batch',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                predictions = model(x[idx])
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="renamed_generator_parameter",
        feedback='when called with keyword arguments: train_epoch(model=model, loss_fn=loss_fn, optimizer=optimizer, x=x, y=y, batch_size=batch_size, generator=generator)',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, rng=None):
            losses = []
            for idx in torch.randperm(len(x), generator=rng).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="module_level_losses",
        feedback='the mean over the batches of earlier calls too',
        source='''
        losses = []

        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="copies_the_generator",
        feedback='repeated the order of the first epoch',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            if generator is not None:
                generator = torch.Generator().set_state(generator.get_state())  # leave the caller's generator alone
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="new_generator_when_none",
        feedback='matches shuffles drawn from a new torch.Generator()',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            generator = generator or torch.Generator()
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="casts_batches_to_float32",
        feedback='for float64 inputs',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx].float()), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="leaves_the_model_in_eval_mode",
        feedback='left the model in eval mode',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            model.eval()  # training is over
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="bs_for_batch_size",
        feedback='when called with keyword arguments: train_epoch(model=model, loss_fn=loss_fn, optimizer=optimizer, x=x, y=y, batch_size=batch_size, generator=generator)',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, bs, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(bs):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="reseeds_when_no_generator",
        feedback="matches a run that called torch.manual_seed(0) itself",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            if generator is None:
                torch.manual_seed(0)  # reproducible shuffles
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Mutant(
        task="6.1",
        name="calls_loss_forward",
        feedback='when `loss_fn` is the function F.cross_entropy',
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad()
                loss = loss_fn.forward(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    # --- 6.2 accuracy
    Mutant(
        task="6.2",
        name="returns_tensor",
        feedback="should be a Python float",
        source='''
        def accuracy(logits, target):
            return (logits.argmax(dim=1) == target).float().mean()
        ''',
    ),
    Mutant(
        task="6.2",
        name="argmin",
        feedback="arg-min",
        source='''
        def accuracy(logits, target):
            return (logits.argmin(dim=1) == target).double().mean().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="count_not_fraction",
        feedback="number of correct rows",
        source='''
        def accuracy(logits, target):
            return (logits.argmax(dim=1) == target).sum().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="ties_count_as_right",
        feedback="only ties for the largest logit",
        source='''
        def accuracy(logits, target):
            best = logits.max(dim=1).values
            return (logits.gather(1, target[:, None]).squeeze(1) == best).double().mean().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="integer_division",
        feedback="was divided with //",
        source='''
        def accuracy(logits, target):
            return (logits.argmax(dim=1) == target).sum().item() // len(target)
        ''',
    ),
    Mutant(
        task="6.2",
        name="argmax_over_rows",
        feedback='the arg-max was taken over dim 0',
        source='''
        def accuracy(logits, target):
            return (logits.argmax(dim=0) == target).float().mean().item()
        ''',
    ),
    # in the families
    Mutant(
        task="6.2",
        name="numpy_argmax",
        feedback='does not work on a tensor that requires grad',
        source='''
        import numpy as np

        def accuracy(logits, target):
            return float(np.mean(np.argmax(logits.numpy(), axis=1) == target.numpy()))
        ''',
    ),
    Mutant(
        task="6.2",
        name="sigmoid_before_argmax",
        feedback='went through exp() or sigmoid() before the arg-max',
        source='''
        def accuracy(logits, target):
            probabilities = torch.sigmoid(logits)
            return (probabilities.argmax(dim=1) == target).float().mean().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="softmax_by_hand",
        feedback='with `logits` near 1000',
        source='''
        def accuracy(logits, target):
            probabilities = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
            return (probabilities.argmax(dim=1) == target).float().mean().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="squeezes_the_logits",
        feedback='when `logits` has a single row',
        source='''
        def accuracy(logits, target):
            return (logits.squeeze().argmax(dim=1) == target.squeeze()).float().mean().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="renamed_parameters",
        feedback='when called with keyword arguments: accuracy(logits=logits, target=target)',
        source='''
        def accuracy(outputs, labels):
            return (outputs.argmax(dim=1) == labels).float().mean().item()
        ''',
    ),
    Mutant(
        task="6.2",
        name="running_accuracy",
        feedback='it also counts the rows of an earlier call',
        source='''
        _seen = {"right": 0, "rows": 0}

        def accuracy(logits, target):
            _seen["right"] += int((logits.argmax(dim=1) == target).sum())
            _seen["rows"] += len(target)
            return _seen["right"] / _seen["rows"]
        ''',
    ),
    Mutant(
        task="6.2",
        name="numpy_asarray",
        feedback='does not work on a tensor that requires grad',
        source='''
        import numpy as np

        def accuracy(logits, target):
            predictions = np.asarray(logits).argmax(axis=1)
            return float((predictions == np.asarray(target)).mean())
        ''',
    ),
    Mutant(
        task="6.2",
        name="half_precision",
        feedback='with `logits` near 1000',
        source='''
        def accuracy(logits, target):
            predictions = logits.half().argmax(dim=1)  # half the memory
            return (predictions == target).float().mean().item()
        ''',
    ),
    # --- 6.3 train_classifier
    Mutant(
        task="6.3",
        name="scheduler_stepped_per_batch",
        feedback="decays after every batch",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            loss_fn = nn.CrossEntropyLoss()
            losses = []
            for _ in range(epochs):
                batch_losses = []
                for idx in torch.randperm(len(x), generator=generator).split(batch_size):
                    optimizer.zero_grad()
                    loss = loss_fn(model(x[idx]), y[idx])
                    loss.backward()
                    optimizer.step()
                    scheduler.step()
                    batch_losses.append(loss.item())
                losses.append(sum(batch_losses) / len(batch_losses))
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="decay_applied_from_epoch_one",
        feedback="epoch 0 already used lr0 / (1 + decay)",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                scheduler.step()
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="sigmoid_instead_of_relu",
        feedback="but it is Sequential(Linear(16, 8), Sigmoid()",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.Sigmoid(), nn.Linear(8, 4), nn.Sigmoid(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="no_activations",
        feedback="but it is Sequential(Linear(16, 8), Linear(8, 4), Linear(4, 2))",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="model_built_after_a_shuffle",
        feedback="With epochs=0",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            order = torch.randperm(len(x))
            x, y = x[order], y[order]
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="learning_rate_never_decays",
        feedback="never decayed",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="generator_not_passed_on",
        feedback="ignore the generator argument",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="losses_as_a_tensor",
        feedback="should be a list of floats",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, torch.tensor(losses)
        ''',
    ),
    # in the families
    Mutant(
        task="6.3",
        name="batch_size_and_lr0_swapped",
        feedback='the parameters must come in this order',
        source='''
        def train_classifier(x, y, epochs=20, lr0=0.5, batch_size=32, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="lr_instead_of_lr0",
        feedback='when called with keyword arguments: train_classifier(x=x, y=y, epochs=epochs, batch_size=batch_size, lr0=lr0, decay=decay, generator=generator)',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="module_level_losses",
        feedback='the batch losses of each call must start from an empty list',
        source='''
        losses = []

        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="seeded_generator_when_none",
        feedback='matches shuffles drawn from a new torch.Generator()',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            generator = generator if generator is not None else torch.Generator()
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="ten_epochs_by_default",
        feedback='when called with the default arguments: train_classifier(x, y)',
        source='''
        def train_classifier(x, y, epochs=10, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="batches_of_64_by_default",
        feedback='when called with the default arguments: train_classifier(x, y)',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=64, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="decay_and_lr0_swapped",
        feedback='the parameters must come in this order',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, decay=0.01, lr0=0.5, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="generator_keyword_only",
        feedback='the parameters must come in this order',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, *, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="inputs_and_labels",
        feedback='when called with keyword arguments: train_classifier(x=x, y=y, epochs=epochs, batch_size=batch_size, lr0=lr0, decay=decay, generator=generator)',
        source='''
        def train_classifier(inputs, labels, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, inputs, labels, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="decay_0_001_by_default",
        feedback='when called with the default arguments: train_classifier(x, y)',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.001, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="lr0_0_05_by_default",
        feedback='when called with the default arguments: train_classifier(x, y)',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.05, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="reseeds_when_no_generator",
        feedback="matches a run that called torch.manual_seed(0) itself",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            if generator is None:
                torch.manual_seed(0)  # reproducible without a generator
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
    Mutant(
        task="6.3",
        name="generator_made_at_definition",
        feedback='matches shuffles drawn from a new torch.Generator()',
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=torch.Generator()):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch))
            losses = []
            for _ in range(epochs):
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator))
                scheduler.step()
            return model, losses
        ''',
    ),
]
