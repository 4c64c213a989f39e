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
        feedback="12 rows of float32 logits is 0",
        source='''
        def accuracy(logits, target):
            return (logits.argmax(dim=1) == target).sum().item() // len(target)
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
]
