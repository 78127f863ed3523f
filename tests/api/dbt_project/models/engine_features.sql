-- Engine features for the HPC wear model: snapshots joined with the flights they come from.
select s.tail, s.egt, f.route
from {{ source('raw', 'engine_snapshots') }} s
join {{ source('raw', 'flights') }} f on s.tail = f.tail
